"""Overlay catalogue texts shared by the tests."""

NEW_PROCEDURE = """\
procedures:
  - id: clinic-dry-needling
    name: Clinic dry needling
    aliases: [dry needling, DN]
    summary: Thin needles into tight muscle bands, without medicine.
    category: soft-tissue-injection
    how_it_works: A thin solid needle is placed into a tight band of muscle (trigger point).
    conditions: [myofascial-pain-syndrome]
    regions: [neck, upper-back]
    image_guidance: [none]
    anesthesia: None needed
    setting: Clinic room
    procedure_time: About 15 minutes
    recovery: Soreness for a day or two
    relief_onset: Same day to a few days
    relief_duration: Days to weeks
    purpose: therapeutic
    invasiveness: 1
    risks: [Soreness, Bruising]
    evidence: Low-quality evidence of short-term benefit.
    sources:
      - title: Our clinic protocol
        url: https://clinic.example/dry-needling
    last_checked: 2026-11-01
"""

PATCH_RFA = """\
procedures:
  - id: radiofrequency-ablation
    summary: "Our clinic: heat disables small pain nerves; we book a review call at two weeks."
"""
