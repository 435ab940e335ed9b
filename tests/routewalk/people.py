"""Objects for the route walk: URL parameters of the people and units routes."""


def params(ctx) -> dict:
    commune = ctx.son_ha["new:son-ky"]
    village = ctx.make_village(commune, "Làng Thử")
    cadre = ctx.make_cadre()
    return {"cadre_id": cadre.id, "user_id": ctx.users["learner"].id, "commune_id": commune.id,
            "village_id": village.id, "unit_id": commune.id, "code": "vi"}
