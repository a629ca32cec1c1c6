"""painref.merge: overlays applied in order, `key+` extension, id clashes and derived reverse links."""

from __future__ import annotations

from painref.merge import Merged, extended, merge, with_backlinks
from painref.merge import linked as merge_links
from painref.model import Kind
from painref.validate import Draft, Issue

P, C, T = Kind.PROCEDURE, Kind.CONDITION, Kind.TREATMENT


# --- extended: one patch on one entry ------------------------------------------------------------


def test_a_plain_key_replaces_and_other_keys_stay():
    data = {"aliases": ["a", "b"], "summary": "Old."}
    assert extended(data, {"aliases": ["c"]}) == {"aliases": ["c"], "summary": "Old."}
    assert data == {"aliases": ["a", "b"], "summary": "Old."}, "the data patched is not changed"


def test_a_plus_key_appends_the_items_not_already_there_in_order():
    assert extended({"aliases": ["a", "b"]}, {"aliases+": ["b", "c", "a", "d"]}) == {"aliases": ["a", "b", "c", "d"]}


def test_a_plus_key_without_a_list_to_extend_takes_its_value():
    assert extended({}, {"risks+": ["x"]}) == {"risks": ["x"]}
    assert extended({"risks": "text"}, {"risks+": ["x"]}) == {"risks": ["x"]}
    assert extended({"risks": ["x"]}, {"risks+": "y"}) == {"risks": "y"}


def test_a_patch_replacing_and_extending_one_key_replaces_first():
    assert extended({"risks": ["old"]}, {"risks+": ["added"], "risks": ["new"]}) == {"risks": ["new", "added"]}


def test_an_empty_patch_changes_nothing():
    assert extended({"id": "x", "risks": ["a"]}, {}) == {"id": "x", "risks": ["a"]}


# --- merge: documents in precedence order ----------------------------------------------------------


def test_later_documents_patch_earlier_entries_and_remember_where_each_key_came_from():
    documents = [
        ("builtin.yaml", {"procedures": [{"id": "rfa", "summary": "Built in.", "risks": ["Burn"]}]}),
        ("first.yaml", {"procedures": [{"id": "rfa", "summary": "First clinic.", "risks+": ["Numbness"]}]}),
        ("second.yaml", {"procedures": [{"id": "other", "name": "Other"}, {"id": "rfa", "summary": "Second."}]}),
    ]
    merged = merge(documents)
    assert merged == Merged(
        drafts={
            "rfa": Draft(
                P,
                {"id": "rfa", "summary": "Second.", "risks": ["Burn", "Numbness"]},
                "builtin.yaml",
                ("procedures", 0),
                origins={
                    "id": ("second.yaml", ("procedures", 1)),
                    "summary": ("second.yaml", ("procedures", 1)),
                    "risks": ("first.yaml", ("procedures", 0)),
                },
            ),
            "other": Draft(P, {"id": "other", "name": "Other"}, "second.yaml", ("procedures", 0)),
        },
        guide={},
        checklist=None,
        synonyms={},
        issues=[],
        indications={},
        trust=None,
    )
    assert list(merged.drafts) == ["rfa", "other"], "entries keep the order they first appear in"


def test_a_new_entry_written_with_plus_keys_gets_plain_keys():
    merged = merge([("a.yaml", {"treatments": [{"id": "walk", "aliases+": ["stroll"]}]})])
    assert merged.drafts["walk"].data == {"id": "walk", "aliases": ["stroll"]}
    assert merged.drafts["walk"].kind is T


def test_an_id_used_by_another_kind_is_an_issue_and_the_first_entry_stays():
    documents = [
        ("a.yaml", {"procedures": [{"id": "shared", "name": "A procedure"}]}),
        ("b.yaml", {"conditions": [{"id": "other"}, {"id": "shared", "name": "A condition"}]}),
    ]
    merged = merge(documents)
    assert merged.issues == [
        Issue("b.yaml", ("conditions", 1, "id"), "id 'shared' is already a procedure; ids are unique across kinds")
    ]
    assert merged.drafts["shared"] == Draft(P, {"id": "shared", "name": "A procedure"}, "a.yaml", ("procedures", 0))


def test_an_id_given_twice_as_one_kind_in_one_file_is_merged():
    merged = merge([("a.yaml", {"conditions": [{"id": "x", "name": "X"}, {"id": "x", "summary": "S"}]})])
    assert merged.drafts["x"].data == {"id": "x", "name": "X", "summary": "S"}
    assert merged.issues == []


GUIDE_TOPIC = {"id": "day", "title": "The day", "summary": "S", "body": "B", "sources": []}
CHECKLIST = {"intro": "I", "questions": [], "threshold": 1, "result_yes": "Y", "result_no": "N", "sources": []}


def test_guide_topics_checklist_and_synonyms_merge_key_by_key():
    documents = [
        ("a.yaml", {"guide": [GUIDE_TOPIC], "checklist": CHECKLIST, "synonyms": {"jab": "injection", 1: "one"}}),
        ("b.yaml", {"guide": [{"id": "day", "title": "Your day"}], "checklist": {"threshold": 3}, "synonyms": {}}),
        ("c.yaml", {"synonyms": {"jab": "shot", "zap": "ablation"}}),
    ]
    merged = merge(documents)
    assert merged.guide == {"day": Draft(C, {**GUIDE_TOPIC, "title": "Your day"}, "a.yaml", ("guide", 0))}
    assert merged.checklist == Draft(C, {**CHECKLIST, "threshold": 3}, "a.yaml", ("checklist",))
    assert merged.synonyms == {"jab": "shot", "1": "one", "zap": "ablation"}
    assert merged.issues == []


def test_an_incomplete_guide_topic_or_checklist_is_an_issue():
    merged = merge([("a.yaml", {"guide": [{"id": "day", "title": "T"}], "checklist": {"intro": "I"}})])
    assert merged.issues == [
        Issue("a.yaml", ("guide", 0), "guide section 'day' is missing 3 keys: 'summary', 'body', 'sources'"),
        Issue(
            "a.yaml",
            ("checklist",),
            "the checklist is missing 5 keys: 'questions', 'threshold', 'result_yes', 'result_no', 'sources'",
        ),
    ]


def test_no_documents_merge_to_nothing():
    assert merge([]) == Merged({}, {}, None, {}, [], {}, None)


# --- with_backlinks: the derived fields ----------------------------------------------------------------


NONE_AGAINST = {"advised_against": []}


def test_families_get_their_members_and_conditions_their_procedures_and_treatments():
    entries = [
        (C, {"id": "arthritis"}),
        (C, {"id": "knee-arthritis", "family": "arthritis"}),
        (C, {"id": "hip-arthritis", "family": "arthritis"}),
        (P, {"id": "knee-shot", "conditions": ["knee-arthritis", "hip-arthritis"]}),
        (P, {"id": "rfa", "family": "ablation", "conditions": ["knee-arthritis"]}),
        (P, {"id": "ablation"}),
        (T, {"id": "walking", "conditions": ["knee-arthritis"], "family": None}),
    ]
    assert with_backlinks(entries) == [
        (C, {"id": "arthritis", "members": ["knee-arthritis", "hip-arthritis"], "treatments": [], "procedures": []}),
        (
            C,
            {
                "id": "knee-arthritis",
                "family": "arthritis",
                "members": [],
                "treatments": ["walking"],
                "procedures": ["knee-shot", "rfa"],
            },
        ),
        (
            C,
            {
                "id": "hip-arthritis",
                "family": "arthritis",
                "members": [],
                "treatments": [],
                "procedures": ["knee-shot"],
            },
        ),
        (P, {"id": "knee-shot", "conditions": ["knee-arthritis", "hip-arthritis"], "members": [], **NONE_AGAINST}),
        (P, {"id": "rfa", "family": "ablation", "conditions": ["knee-arthritis"], "members": [], **NONE_AGAINST}),
        (P, {"id": "ablation", "members": ["rfa"], "advised_against": []}),
        (
            T,
            {"id": "walking", "conditions": ["knee-arthritis"], "family": None, "members": [], "advised_against": []},
        ),
    ]


def test_backlinks_leave_the_input_unchanged():
    data = {"id": "x", "conditions": ["y"]}
    with_backlinks([(P, data), (C, {"id": "y"})])
    assert data == {"id": "x", "conditions": ["y"]}


def test_every_issue_is_kept_in_file_order():
    documents = [
        ("a.yaml", {"procedures": [{"id": "x"}], "guide": [{"id": "day"}, {"id": "night"}]}),
        ("b.yaml", {"treatments": [{"id": "x"}], "checklist": {}}),
    ]
    assert [(i.file, i.loc, i.message) for i in merge(documents).issues] == [
        ("b.yaml", ("treatments", 0, "id"), "id 'x' is already a procedure; ids are unique across kinds"),
        ("a.yaml", ("guide", 0), "guide section 'day' is missing 4 keys: 'title', 'summary', 'body', 'sources'"),
        ("a.yaml", ("guide", 1), "guide section 'night' is missing 4 keys: 'title', 'summary', 'body', 'sources'"),
        (
            "b.yaml",
            ("checklist",),
            "the checklist is missing 6 keys: 'intro', 'questions', 'threshold', 'result_yes', 'result_no', 'sources'",
        ),
    ]


def test_indication_records_link_options_and_name_what_every_guideline_advises_against():
    entries = [(C, {"id": "lbp"}), (C, {"id": "sciatica"}), (P, {"id": "esi"})]
    entries.append((T, {"id": "pt", "conditions": ["lbp"]}))
    records = [
        {"condition": "sciatica", "option": "esi", "guidelines": [{"stance": "consider"}, {"stance": "do-not-offer"}]},
        {"condition": "lbp", "option": "esi", "guidelines": [{"stance": "do-not-offer"}]},
        {"condition": "sciatica", "option": "pt", "guidelines": []},
    ]
    linked = {data["id"]: data for _, data in with_backlinks(merge_links(entries, records))}
    assert linked["esi"]["conditions"] == ["sciatica", "lbp"]
    assert linked["esi"]["advised_against"] == ["lbp"], "a mixed stance is flagged in views, not here"
    assert linked["pt"]["conditions"] == ["lbp", "sciatica"], "a written link comes first, then the records'"
    assert linked["sciatica"]["procedures"] == ["esi"]
    assert linked["lbp"]["treatments"] == ["pt"]
