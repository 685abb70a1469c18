"""One APIRouter per resource, all under /v1 except the health checks."""
