"""Roles and Bapas isolation: 401 without a token, 403 for a role without the right, 404 for
another Bapas' rows (as for an unknown id)."""

from __future__ import annotations

from live import Env, client, site


def test_roles_and_bapas_isolation(env: Env) -> None:
    officer_a = env.as_("officer_purwokerto")
    officer_b = env.as_("officer_cilacap")
    planner_a = env.as_("planner_purwokerto")
    planner_b = env.as_("planner_cilacap")
    admin = env.as_("admin")

    assert planner_a.post("/v1/sites", json=site("ISO-A", 0.05, 0.05)).status_code == 201
    assert planner_b.post("/v1/sites", json=site("ISO-B", -0.5, -0.3)).status_code == 201
    assert officer_a.post("/v1/clients", json=client("ISO-CA", 0.05, 0.05)).status_code == 201

    # no token, a bad token
    assert env.as_(None).get("/v1/clients/ISO-CA").status_code == 401
    r = env.as_(None, Authorization="Bearer nope").get("/v1/clients/ISO-CA")
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"

    # another Bapas' client looks like an unknown one
    assert officer_b.get("/v1/clients/ISO-CA").status_code == 404
    assert officer_b.patch("/v1/clients/ISO-CA", json={"hours": 50}).status_code == 404
    r = officer_b.post("/v1/suggestions", json={"client_id": "ISO-CA"})
    assert r.status_code == 404
    ids_b = [c["client_id"] for c in officer_b.get("/v1/clients").json()["items"]]
    assert "ISO-CA" not in ids_b
    r = officer_b.post("/v1/placements", json={"client_id": "ISO-CA", "site_id": "ISO-A"})
    assert r.status_code == 404

    # roles
    assert planner_a.get("/v1/clients/ISO-CA").status_code == 403
    assert planner_a.post("/v1/suggestions", json={"client_id": "ISO-CA"}).status_code == 403
    assert officer_a.post("/v1/sites", json=site("ISO-X")).status_code == 403
    assert officer_a.post("/v1/tokens", json={"role": "admin"}).status_code == 403
    assert planner_a.get("/v1/audit").status_code == 403

    # sites of another Bapas: invisible, not writable
    assert planner_b.get("/v1/sites/ISO-A").status_code == 404
    assert planner_b.patch("/v1/sites/ISO-A", json={"capacity": 9}).status_code == 404
    assert planner_b.post("/v1/sites", json=site("ISO-Y", bapas_id="purwokerto")).status_code == 403
    r = officer_a.post("/v1/placements", json={"client_id": "ISO-CA", "site_id": "ISO-B"})
    assert r.status_code == 404

    # the admin of every Bapas sees both, and its writes are audited
    assert admin.get("/v1/clients/ISO-CA").status_code == 200
    assert admin.get("/v1/sites/ISO-B").status_code == 200
    r = admin.post("/v1/tokens", json={"role": "officer", "bapas_id": "cilacap"})
    assert r.status_code == 201 and r.json()["token"].startswith("pnm_")
    new = env.as_(None, Authorization=f"Bearer {r.json()['token']}")
    assert new.get("/v1/clients/ISO-CA").status_code == 404
    assert admin.delete(f"/v1/tokens/{r.json()['token_id']}").status_code == 204
    audit = admin.get("/v1/audit", params={"entity_id": "ISO-CA"}).json()
    # newest first: the admin's read (issue 9: reads of a client record are audited too)
    assert [a["action"] for a in audit] == ["client.read", "client.create"]
    assert audit[1]["after"] == {"bapas_id": "purwokerto"}
