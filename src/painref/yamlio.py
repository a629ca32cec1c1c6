"""YAML in and out of painref: safe, fast parsing and where each node stands; the only yaml importer."""

from __future__ import annotations

import re
from collections.abc import Callable, Container, Iterator
from functools import cache
from typing import TYPE_CHECKING, Any, NamedTuple

from painref.errors import CatalogueError
from painref.i18n import _, yaml_problem

if TYPE_CHECKING:
    import yaml

# A place inside a document: keys and list indexes from the root.
Loc = tuple[str | int, ...]


@cache
def yaml_loader() -> type[yaml.SafeLoader]:
    """PyYAML's safe loader (the C one where present) that keeps dates as plain text."""
    import yaml

    base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    resolvers = {
        first: [(tag, regexp) for tag, regexp in pairs if tag != "tag:yaml.org,2002:timestamp"]
        for first, pairs in base.yaml_implicit_resolvers.items()
    }
    return type("PainrefLoader", (base,), {"yaml_implicit_resolvers": resolvers})


def parse(text: str, label: str, *, unique_keys: bool = False) -> object:
    """Parse YAML safely and fast; any problem becomes one `path:line:col: message` sentence.

    libyaml (PyYAML's C parser) reads the events and `_construct` builds plain dicts, lists and
    scalars from them, about six times faster than PyYAML's constructor (13 s to 2 s for a
    10,000-entry file). Plain scalars are read as in `_plain`; dates stay text. Only standard
    tags are accepted, so nothing is ever executed, and anchors and aliases are refused: a few
    lines of them (a "billion laughs") can stand for gigabytes once expanded, and a catalogue
    never needs them.

    With `unique_keys`, a key given twice in one mapping is refused where it is given again (as
    loading a catalogue needs: PyYAML keeps the last value, so a repeated `procedures:` dropped a
    whole section); `validate` reads on and reports every repeat itself.
    """
    import yaml

    try:
        return _construct(yaml_loader()(text).get_event, label, unique_keys)
    except yaml.reader.ReaderError as error:  # a character YAML forbids raw: NUL, ESC, other controls
        line = text.count("\n", 0, error.position) + 1
        col = error.position - text.rfind("\n", 0, error.position)
        raise CatalogueError(
            _(
                "{label}:{line}:{col}: the control character U+{character:04X} is not allowed in YAML;"
                " write it as an escape inside double quotes if it is meant"
            ).format(label=label, line=line, col=col, character=error.character)
        ) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"{label}:{mark.line + 1}:{mark.column + 1}" if mark else label
        raise CatalogueError(
            _("{where}: invalid YAML: {problem}").format(
                where=where, problem=yaml_problem(str(error.problem or error.context))
            )
        ) from None
    except (yaml.YAMLError, RecursionError) as error:
        raise CatalogueError(
            _("{label}: invalid YAML: {problem}").format(label=label, problem=" ".join(str(error).split()))
        ) from None


_YAML_TAG = "tag:yaml.org,2002:"
# No list in a catalogue is longer: 50,000 entries is the largest catalogue budgeted (SPEC.md), and
# a few megabytes of "[{}, {}, ...]" would otherwise be millions of entries to check.
MAX_LIST_ITEMS = 100_000
# Integers longer than this are not catalogue numbers (Python refuses to read 4,300 digits at all).
MAX_INT_DIGITS = 20
# Numbers only where both YAML 1.1 (PyYAML, which writes many catalogue files) and YAML 1.2
# (editors) read a number, so text another tool wrote unquoted is never misread: 12, -3, 0x1F,
# 1.5, 1.5e+3, .inf. Booleans and null are the 1.2 words only: yes, no and on stay text.
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)|0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+][0-9]+)?")
_WORDS: dict[str, object] = {
    **dict.fromkeys(("true", "True", "TRUE"), True),
    **dict.fromkeys(("false", "False", "FALSE"), False),
    **dict.fromkeys(("null", "Null", "NULL", "~", ""), None),
    **dict.fromkeys((".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"), float("inf")),
    **dict.fromkeys(("-.inf", "-.Inf", "-.INF"), float("-inf")),
    **dict.fromkeys((".nan", ".NaN", ".NAN"), float("nan")),
}


_NUMERIC = frozenset("0123456789-+.")


def _plain(value: str) -> object:
    """A plain (unquoted) scalar: true/false, null, a number, or text."""
    if value in _WORDS:
        return _WORDS[value]
    if value[0] in "0123456789-+.":
        if _INT.fullmatch(value):
            if len(value) > MAX_INT_DIGITS:
                raise _TooLong
            return int(value, 16) if value.startswith("0x") else int(value)
        if _FLOAT.fullmatch(value):
            return float(value)
    return value


class _TooLong(ValueError):
    """A number with more digits than any catalogue needs."""


def _scalar(event: Any, label: str) -> object:
    try:
        return _typed_scalar(event, label)
    except _TooLong:
        raise _event_error(
            event,
            label,
            _("a number longer than {digits} digits; quote it if it is text").format(digits=MAX_INT_DIGITS),
        ) from None


def _typed_scalar(event: Any, label: str) -> object:
    tag = event.tag
    if tag is None or tag == "!":
        return _plain(event.value) if not event.style and event.implicit[0] else event.value
    name = tag.removeprefix(_YAML_TAG) if tag.startswith(_YAML_TAG) else ""
    if name == "str":
        return event.value
    value = _plain(event.value) if name in ("int", "float", "bool", "null") else _MISSING
    if (
        (name == "int" and type(value) is int)
        or (name == "float" and type(value) in (int, float))
        or (name == "bool" and type(value) is bool)
        or (name == "null" and value is None)
    ):
        return value
    raise _event_error(
        event, label, _("the tag {tag} is not allowed here; use plain text, numbers or lists").format(tag=_shown(tag))
    )


_MISSING = object()


def _shown(tag: str) -> str:
    """A tag as it was written: `!!python/object`, not `tag:yaml.org,2002:python/object`."""
    return "!!" + tag.removeprefix(_YAML_TAG) if tag.startswith(_YAML_TAG) else tag


def _event_error(event: Any, label: str, message: str) -> CatalogueError:
    mark = event.start_mark
    return CatalogueError(f"{label}:{mark.line + 1}:{mark.column + 1}: {message}")


def _anchor_error(event: Any, label: str) -> CatalogueError:
    return _event_error(
        event,
        label,
        _("YAML anchors and aliases (&name, *name) are not allowed in catalogue files; write the value out"),
    )


def _construct(get: Any, label: str, unique_keys: bool = False) -> object:
    """Build the document from parser events (`get` gives the next) with an explicit stack, so
    depth never recurses."""
    import yaml

    root: object = None
    documents = 0
    for event in iter(get, None):
        kind = type(event)
        if kind is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise _event_error(event, label, _("invalid YAML: expected one document, found a second ('---')"))
        elif kind is yaml.StreamStartEvent or kind is yaml.DocumentEndEvent:
            continue
        elif kind is yaml.StreamEndEvent:
            break
        else:
            root = _node(event, get, label, unique_keys)
    return root


def _node(first: Any, get: Any, label: str, unique_keys: bool = False) -> object:
    """The value that starts with the event `first`, reading the rest of its events with `get`.

    The hot loop of every build: one turn per event, with the open container, whether it is a
    list and the mapping key waiting for its value in locals, and the enclosing ones on a stack,
    so depth never recurses.
    """
    import yaml

    scalar_event, mapping_start, sequence_start = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
    mapping_end, sequence_end = yaml.MappingEndEvent, yaml.SequenceEndEvent
    words, numeric, limit = _WORDS, _NUMERIC, MAX_LIST_ITEMS
    event = first
    kind = type(event)
    if kind is scalar_event:
        if event.anchor is not None:
            raise _anchor_error(event, label)
        return _scalar(event, label)
    current: Any = _start(event, kind, label)
    root, is_list, key = current, kind is sequence_start, _MISSING
    stack: list[tuple[Any, bool]] = []
    while True:
        event = get()
        kind = type(event)
        if kind is scalar_event:
            if event.anchor is not None:
                raise _anchor_error(event, label)
            node: object = event.value
            # Most scalars are untagged text: only a plain one that may be a word or a number is read.
            if event.tag is not None or (
                not event.style  # plain: '' from libyaml, None from PyYAML's own parser
                and event.implicit[0]
                and (not node or node[0] in numeric or (len(node) <= 5 and node in words))  # type: ignore[arg-type,index]
            ):
                node = _scalar(event, label)
            if is_list:
                if len(current) >= limit:
                    raise _too_many(event, label)
                current.append(node)
            elif key is _MISSING:
                if unique_keys and node in current:
                    raise _repeated(event, node, label)
                key = node
            else:
                current[key] = node  # a repeated key keeps its last value, as PyYAML does; validate reports it
                key = _MISSING
        elif kind is mapping_start or kind is sequence_start:
            node = _start(event, kind, label)
            if is_list:
                if len(current) >= limit:
                    raise _too_many(event, label)
                current.append(node)
            elif key is _MISSING:
                raise _event_error(event, label, _("invalid YAML: a mapping key must be text, not a list or mapping"))
            else:
                current[key] = node
            stack.append((current, is_list))
            current, is_list, key = node, kind is sequence_start, _MISSING
        elif kind is mapping_end or kind is sequence_end:
            if not stack:
                return root
            current, is_list = stack.pop()
            key = _MISSING
        elif event is None:  # the parser stopped inside a value: it raises before that, but never loop
            raise CatalogueError(_("{label}: invalid YAML: the document ends inside a value").format(label=label))
        elif kind is yaml.AliasEvent:
            raise _anchor_error(event, label)
        else:
            raise _event_error(event, label, _("invalid YAML: the document ends inside a value"))


def _repeated(event: Any, key: object, label: str) -> CatalogueError:
    shown = str(key) if len(str(key)) <= 60 else str(key)[:57] + "..."
    return _event_error(event, label, _("key '{key}' is given twice in one mapping").format(key=shown))


def _start(event: Any, kind: type, label: str) -> dict[object, object] | list[object]:
    """A new mapping or list for the event that starts it; anchors and foreign tags refused."""
    import yaml

    if kind is not yaml.MappingStartEvent and kind is not yaml.SequenceStartEvent:
        if kind is yaml.AliasEvent:
            raise _anchor_error(event, label)
        raise _event_error(event, label, _("invalid YAML: expected a value"))
    if event.anchor is not None:
        raise _anchor_error(event, label)
    expected = _YAML_TAG + ("map" if kind is yaml.MappingStartEvent else "seq")
    if event.tag not in (None, "!", expected):
        raise _event_error(
            event, label, _("the tag {tag} is not allowed in catalogue files").format(tag=_shown(event.tag))
        )
    return {} if kind is yaml.MappingStartEvent else []


def _too_many(event: Any, label: str) -> CatalogueError:
    return _event_error(
        event,
        label,
        _("a list longer than {count:,} items; split the catalogue into files").format(count=MAX_LIST_ITEMS),
    )


class NotStreamed(CatalogueError):
    """A file `stream_items` cannot hand out a piece at a time (or a problem in it): parse it whole."""


def stream_items(stream: Any, label: str, listed: Container[str]) -> Iterator[tuple[str, int | None, object]]:
    """A mapping document read from a binary file a piece at a time: (key, None, value) for each
    top-level key, and (key, index, item) for each item of a `listed` key's list, so a catalogue of
    any size is never held whole.

    The pieces are built exactly as `parse` builds them. Anything `parse` would refuse, or would
    read differently from the pieces (a root that is not a mapping, a top-level key given twice,
    more than one document), raises CatalogueError (NotStreamed where parse may accept it), and
    the caller parses the file whole for the full account.
    """
    import yaml

    try:
        yield from _stream_items(yaml_loader()(stream).get_event, label, listed)
    except (yaml.YAMLError, RecursionError) as error:  # parse reports it exactly, from the whole text
        raise NotStreamed(f"{label}: invalid YAML") from error


def _stream_items(
    get: Callable[[], Any], label: str, listed: Container[str]
) -> Iterator[tuple[str, int | None, object]]:
    import yaml

    event = get()
    if type(event) is yaml.StreamStartEvent:
        event = get()
    if type(event) is not yaml.DocumentStartEvent:
        raise NotStreamed(f"{label}: an empty document")
    event = get()
    if type(event) is not yaml.MappingStartEvent or event.anchor is not None or event.tag not in (None, "!"):
        raise NotStreamed(f"{label}: the document is not a plain mapping")
    seen: set[object] = set()
    while type(event := get()) is not yaml.MappingEndEvent:
        key = _node(event, get, label)
        if isinstance(key, dict | list) or key in seen or type(key) is not str:
            raise NotStreamed(f"{label}: a top-level key that is not plain text or is given twice")
        seen.add(key)
        event = get()
        if key in listed and type(event) is yaml.SequenceStartEvent and event.anchor is None and event.tag is None:
            index = 0
            while type(item := get()) is not yaml.SequenceEndEvent:
                if index >= MAX_LIST_ITEMS:
                    raise _too_many(item, label)
                yield key, index, _node(item, get, label, unique_keys=True)
                index += 1
        else:
            yield key, None, _node(event, get, label, unique_keys=True)
    if type(get()) is not yaml.DocumentEndEvent or type(get()) is not yaml.StreamEndEvent:
        raise NotStreamed(f"{label}: more than one document")


@cache
def _node_loader() -> type[yaml.SafeLoader]:
    """A loader that composes nodes without resolving their tags: positions need only the marks
    and the text of keys, and resolving every scalar took a third of the time."""
    return type("PositionsLoader", (yaml_loader(),), {"resolve": lambda self, kind, value, implicit: ""})


class Positions:
    """Line and column (1-based) of any place in one document, reading its YAML nodes once."""

    def __init__(self, text: str | None) -> None:
        import yaml

        self.root: yaml.Node | None = None
        if text is not None:
            try:
                self.root = yaml.compose(text, Loader=_node_loader())
            except yaml.YAMLError:
                self.root = None

    def of(self, loc: Loc) -> tuple[int, int] | None:
        """Where `loc` stands, or the nearest place above it that exists; None without a document."""
        import yaml

        node = self.root
        if node is None:
            return None
        for step in loc:
            if isinstance(node, yaml.MappingNode):
                for key_node, value_node in node.value:
                    if key_node.value == step:
                        # Point at the key for a missing or wrong value: it is what the reader looks for.
                        node = value_node if isinstance(value_node, yaml.CollectionNode) else key_node
                        break
                else:
                    break
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
                node = node.value[step]
            else:
                break
        return node.start_mark.line + 1, node.start_mark.column + 1

    def repeated_keys(self) -> list[tuple[str, int, int]]:
        """Keys given twice in one mapping (which YAML loaders silently collapse), with line and column."""
        import yaml

        found: list[tuple[str, int, int]] = []
        stack: list[yaml.Node] = [self.root] if self.root is not None else []
        while stack:
            node = stack.pop()
            if isinstance(node, yaml.MappingNode):
                seen: set[str] = set()
                for key_node, value_node in node.value:
                    key = str(key_node.value)
                    if key in seen:
                        found.append((key, key_node.start_mark.line + 1, key_node.start_mark.column + 1))
                    seen.add(key)
                    stack.append(value_node)
            elif isinstance(node, yaml.SequenceNode):
                stack.extend(node.value)
        return sorted(found, key=lambda item: (item[1], item[2]))


class Unsplit(NotStreamed):
    """A file whose text `split_pieces` cannot cut safely: read it with `stream_items` instead."""


class Piece(NamedTuple):
    """A run of a document's lines that parses on its own (see `split_pieces`).

    With `section` None, one top-level key and its value. Otherwise `items` consecutive items of
    the list under the top-level key `section`, from its item `first`; 0 items is the key's
    own line (with the prologue before it, and comments after it), which parses as that key with
    no value.
    """

    section: str | None
    first: int
    items: int
    text: bytes


# How much of a file is read at a time, and the most a piece holds before it is handed out.
_BLOCK = 2**20
PIECE_BYTES = 2**19
PIECE_ITEMS = 128
# A top-level key whose value is not an item list is parsed in one piece: no bigger than this.
MAX_BLOCK_PIECE = 2**22
# The start of the document: an optional byte-order mark, blank and comment lines, and `---`.
_PROLOGUE = re.compile(rb"(?:\xef\xbb\xbf)?(?:[ \t]*(?:#[^\r\n]*)?\r?\n)*(?:---[ \t]*(?:#[^\r\n]*)?\r?\n)?")
# A list's key line: a plain key alone on its line, perhaps with a comment after it.
_KEY_LINE = re.compile(rb"([A-Za-z_][A-Za-z0-9_]*):[ \t]*(?:#[^\r\n]*)?\r?\n")
# Blank and comment lines.
_GAP = re.compile(rb"(?:[ \t]*(?:#[^\r\n]*)?\r?\n)*")
# The first line of a list item: spaces, then a dash and a blank.
_ITEM = re.compile(rb"( *)-(?:[ \t\r\n]|\Z)")
# A line that starts a top-level key (or anything else at the left margin but a comment).
_TOP = re.compile(rb"\n(?=[^ \t\r\n#])")


class _Lines:
    """A binary stream read a block at a time, with the part not yet handed out at hand.

    Offsets are the file's; a pattern is matched only once the lines it looks at are read whole.
    """

    def __init__(self, read: Callable[[int], bytes]) -> None:
        self.read = read
        self.data = b""
        self.start = 0  # the file offset of data[0]
        self.ended = False

    @property
    def end(self) -> int:
        return self.start + len(self.data)

    def _more(self) -> bool:
        if not self.ended:
            chunk = self.read(_BLOCK)
            self.data += chunk
            self.ended = not chunk
        return not self.ended

    def _whole(self, offset: int) -> bool:
        """Whether the line holding file offset `offset` is read to its end."""
        return self.ended or self.data.find(b"\n", offset - self.start) != -1

    def match(self, pattern: re.Pattern[bytes], at: int) -> tuple[int, int] | None:
        """Where `pattern` matches at file offset `at` (its end, and the end of group 1 or -1)."""
        while True:
            found = pattern.match(self.data, at - self.start)
            end = self.start + found.end() if found is not None else at
            if self._whole(end) or not self._more():
                if found is None:
                    return None
                return end, (self.start + found.end(1)) if pattern.groups else -1

    def next_line(self, pattern: re.Pattern[bytes], at: int) -> int | None:
        """The file offset of the first line after offset `at` that `pattern` finds (it is searched
        for as the line break before it), or None at the end of the stream."""
        while True:
            found = pattern.search(self.data, at - self.start)
            if found is not None and self._whole(self.start + found.end()):
                return self.start + found.end()
            if not self._more():
                found = pattern.search(self.data, at - self.start)
                return None if found is None else self.start + found.end()

    def has(self, at: int) -> bool:
        """Whether the stream goes on past file offset `at`, reading the line there whole."""
        while not self._whole(at) and self._more():
            pass
        return at < self.end

    def peek(self, at: int, size: int) -> bytes:
        """Up to `size` bytes from file offset `at` (read already: `at` starts a line read whole)."""
        return self.data[at - self.start : at - self.start + size]

    def take(self, start: int, end: int) -> bytes:
        """The bytes from file offset `start` to `end`, forgetting everything before `end`."""
        text = self.data[start - self.start : end - self.start]
        self.data = self.data[end - self.start :]
        self.start = end
        return text


def split_pieces(read: Callable[[int], bytes], listed: Container[str]) -> Iterator[Piece]:
    """A mapping document cut, where its text allows, into pieces that parse on their own: each
    top-level key with its value, and the items of a `listed` key's block list, some at a time.

    Only the lines that start a top-level key or an item of such a list are looked at, and each
    piece is parsed on its own later (by `parse`, perhaps in another process), so a big file is
    parsed on every core and never held whole. The cuts are safe: a construct that could carry
    such a line on as part of its value (a quoted or flow value) is then unclosed at the end of
    its piece, which fails to parse; the caller then reads the file with `stream_items` after
    all. So it does for anything else unusual, raised here as Unsplit: a directive, a second
    document, a list at the top, a big value that is not an item list.
    """
    lines = _Lines(read)
    prologue = lines.match(_PROLOGUE, 0)
    start = 0  # where the piece being gathered starts: the prologue goes with the first piece
    at = prologue[0] if prologue is not None else 0
    while lines.has(at):
        head = lines.peek(at, 3)
        if head.startswith((b"---", b"...", b"%", b" ", b"\t")) or _ITEM.match(head):
            raise Unsplit("a directive, a second document, an indented top or a list at the top level")
        key = lines.match(_KEY_LINE, at)
        gap = lines.match(_GAP, key[0]) if key is not None else None
        item = lines.match(_ITEM, gap[0]) if gap is not None else None
        section = lines.peek(at, key[1] - at).decode() if key is not None else ""
        if item is not None and gap is not None and section in listed:
            first = gap[0]
            yield Piece(section, 0, 0, lines.take(start, first))
            yield from _items(lines, section, first, item[1] - first)
            at = start = lines.start
            continue
        end = lines.next_line(_TOP, at)
        if (end if end is not None else lines.end) - start > MAX_BLOCK_PIECE:
            raise Unsplit("a big top-level value that is not a list of items")
        yield Piece(None, 0, 0, lines.take(start, end if end is not None else lines.end))
        at = start = lines.start


def _items(lines: _Lines, section: str, first: int, indent: int) -> Iterator[Piece]:
    """The items of the block list whose first item starts at file offset `first`, `indent` spaces
    in, some at a time; `lines` is left at the line after the list (a top-level key, or the end)."""
    boundary = re.compile(rb"\n(?=[^ \t\r\n#]|" + b" " * indent + rb"-(?:[ \t\r\n]|\Z))")
    start = at = first
    index = count = 0
    while True:
        end = lines.next_line(boundary, at)
        count += 1
        last = end is None or not (
            lines.peek(end, 1) == b" " if indent else _ITEM.match(lines.peek(end, 2)) is not None
        )
        stop = end if end is not None else lines.end
        if last or count >= PIECE_ITEMS or stop - start >= PIECE_BYTES:
            if index + count > MAX_LIST_ITEMS:
                raise Unsplit("a list longer than painref reads")
            yield Piece(section, index, count, lines.take(start, stop))
            index += count
            count = 0
            start = stop
        if last:
            return
        at = stop


def parse_piece(piece: Piece, label: str) -> list[tuple[str, int | None, object]]:
    """What `stream_items` hands out for the text of one piece: (key, None, value) for a top-level
    key, (key, index, item) for each item. Unsplit where the piece does not parse as it was cut
    (its text runs on into the next piece, or it is not valid on its own)."""
    try:
        value = parse(piece.text.decode("utf-8"), label, unique_keys=True)
    except (UnicodeDecodeError, CatalogueError) as error:
        raise Unsplit(f"{label}: a piece that does not parse on its own") from error
    if piece.section is None:
        if not isinstance(value, dict) or len(value) != 1 or type(next(iter(value))) is not str:
            raise Unsplit(f"{label}: a piece that is not one top-level key")
        ((key, item),) = value.items()
        return [(key, None, item)]
    if piece.items == 0:
        if not isinstance(value, dict) or list(value.items()) != [(piece.section, None)]:
            raise Unsplit(f"{label}: a list's key line that is not the key alone")
        return []
    if not isinstance(value, list) or len(value) != piece.items:
        raise Unsplit(f"{label}: a piece of a list that does not hold the items it was cut at")
    return [(piece.section, piece.first + number, item) for number, item in enumerate(value)]
