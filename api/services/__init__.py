"""Service functions (keyword-only): requests' meaning, between the routers and the storage."""
