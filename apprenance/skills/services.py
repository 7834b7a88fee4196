"""Writes about skills. Each function owns its transaction and its side effects: the activity log,
the people generation (a member's profile shows their skills) and the member's expertise profile
(routing counts declared skills)."""

from django.db import transaction

from apprenance.core.activity import record
from apprenance.core.generations import bump
from apprenance.people.models import PEOPLE_GENERATION
from apprenance.questions import profiles
from apprenance.skills.models import MemberSkill, Skill


def declare_skill(member, name: str, *, level: str, can_teach: bool) -> MemberSkill:
    """The member declares a skill (added to the framework if new); routing reads it from then on.

    Declaring a skill already declared (two tabs, a double click) sets its level again.
    """
    with transaction.atomic():
        skill = Skill.objects.named([name])[0]
        declared, _created = MemberSkill.objects.update_or_create(
            member=member, skill=skill, defaults={"level": level, "can_teach": can_teach}
        )
        record(member, "skill.declared", skill, level=level, can_teach=can_teach)
        profiles.refresh_profiles([member.pk])
        bump(PEOPLE_GENERATION)
    return declared


def update_declared_skill(member, declared: MemberSkill, *, level: str, can_teach: bool) -> MemberSkill:
    with transaction.atomic():
        declared.level, declared.can_teach = level, can_teach
        declared.save(update_fields=["level", "can_teach"])
        record(member, "skill.updated", declared.skill, level=level, can_teach=can_teach)
        bump(PEOPLE_GENERATION)
    return declared


def remove_declared_skill(member, declared: MemberSkill) -> None:
    """The member no longer declares the skill; the framework keeps it for others."""
    with transaction.atomic():
        record(member, "skill.removed", declared.skill)
        declared.delete()
        profiles.refresh_profiles([member.pk])
        bump(PEOPLE_GENERATION)
