"""The skills a member declares, for their personal data export (RGPD, article 20)."""

from apprenance.skills.models import MemberSkill


def personal_data(member) -> dict:
    return {
        "skills": [
            {
                "name": name,
                "level": level,
                "can_teach": can_teach,
                "declared_at": declared_at.isoformat(),
            }
            for name, level, can_teach, declared_at in MemberSkill.objects.filter(member=member)
            .order_by("skill__name", "pk")
            .values_list("skill__name", "level", "can_teach", "created_at")
        ]
    }
