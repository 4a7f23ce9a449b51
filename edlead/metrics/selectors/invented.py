"""The demo's invented "state" figures, kept apart from the real state root.

`seed_metrics` never writes on the state root: the root's figures are DESE's, from a real import. The
demo's own state means live on a demo-only organization with `INVENTED_STATE_CODE`. A page that
compares a demo organization with the state uses the root's real figures for a measure whenever the
root has any, and otherwise the invented ones, labelled `INVENTED_LABEL` — never the two mixed in one
line.
"""

from __future__ import annotations

INVENTED_STATE_CODE = "99000000"
# "(non-op)", DESE's mark for a district that runs no schools, keeps it out of the operating districts
# counted and listed on the state's pages.
INVENTED_STATE_NAME = "Demo comparison: invented state figures, not DESE (non-op)"
INVENTED_LABEL = "invented demo figures"
