"""Import kinds for school performance data (registered in `edlead.imports.kinds.KINDS`)."""
