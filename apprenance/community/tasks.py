"""Background work of the community app."""

from datetime import time

from django_tasks import task

from apprenance.community import campaigns, services, sessions
from apprenance.core.schedule import Every, periodic


@periodic("community.session_reminders", Every("hour", at=time(0, 5)))
@task()
def send_session_reminders(slot: str) -> int:
    """Remind registrants of the sessions starting within a day; a retried run reminds nobody twice."""
    return sessions.send_reminders()


@periodic("community.close_finished_circles", Every("day", at=time(0, 20)))
@task()
def close_finished_circles(slot: str) -> int:
    """Circles end on their end date without anyone having to close them."""
    return services.close_finished_circles()


# Every minute: a campaign's prompts go out at their wall-clock time, not up to an hour late.
@periodic("community.campaign_prompts", Every("minute"))
@task()
def send_campaign_prompts(slot: str) -> int:
    """Send the campaign prompts whose time has come, then the reminders due; a run interrupted or
    retried sends nobody anything twice and skips nobody."""
    return campaigns.send_due_prompts() + campaigns.send_due_reminders()
