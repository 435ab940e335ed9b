"""Objects for the route walk: a report template (the shipped example) and an API token
(of the whole province). The API's own routes take a bearer token, never a session: every
signed-in role gets 401 there (tests/core/test_route_access.py)."""


def params(ctx) -> dict:
    from app.api import tokens
    from app.report_templates import example, service

    db = ctx.db
    data = example.workbook()
    template = service.save(ctx.users["admin"], "Biểu mẫu của tỉnh", "bieu.xlsx", data,
                            len(data))
    token, _secret = tokens.create(ctx.users["admin"], "Hệ thống của Sở", None)
    db.session.commit()
    return {"template_id": template.id, "token_id": token.id}
