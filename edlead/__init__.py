"""EdLead: education leadership services for school districts and state agencies."""
