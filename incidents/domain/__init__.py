"""Records and the rules about them: incidents, claims, taxonomy, figures, validation, victims,
places (through geodata), outlets, users and roles, errors. Pure: no storage, no Streamlit."""
