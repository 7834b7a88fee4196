import re

import pytest
from django.core import mail
from django.urls import reverse

from apprenance.notifications.models import Notification
from apprenance.notifications.services import notify
from tests.people.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_notify_records_what_happened_but_not_to_the_one_who_did_it(people):
    notification = notify(people.admin, "member.joined", people.organisation, actor=people.owner)
    assert notification.target_label == "Mairie de Vernay"
    assert notification.target_url == reverse("people:organisation", args=["mairie-vernay"])
    assert notify(people.owner, "member.joined", people.organisation, actor=people.owner) is None
    with pytest.raises(ValueError, match="unknown notification kind"):
        notify(people.admin, "pas.un.type", people.organisation)


def test_several_notifications_about_the_same_target_read_as_one_line(people, signed_in):
    newcomers = [people.owner, *[MemberFactory(organisation=people.organisation) for _ in range(3)]]
    for newcomer in newcomers:
        notify(people.admin, "member.joined", people.organisation, actor=newcomer)
    notify(people.admin, "member.joined", people.other_organisation, actor=people.outsider)
    response = signed_in(people.admin).get(reverse("notifications:centre"))
    text = " ".join(response.text.split())
    assert f"{newcomers[-1].full_name} et 3 autres personnes ont rejoint Mairie de Vernay" in text
    assert f"{people.outsider.full_name} a rejoint Banque d’Arnelle" in text
    assert len(response.context["page"].object_list) == 2


def test_opening_a_line_whose_target_was_deleted_since_says_so_instead_of_a_404(people, signed_in):
    from apprenance.questions import services as question_services
    from tests.questions.factories import ask

    question = ask(people.owner, title="Comment accueillir un stagiaire ?")
    notification = notify(people.admin, "question.answered", question, actor=people.owner)
    question_services.delete_question(people.owner, question)
    client = signed_in(people.admin)

    response = client.get(reverse("notifications:open", args=[notification.pk]), follow=True)

    assert response.redirect_chain == [(reverse("notifications:centre"), 302)]
    assert "« Comment accueillir un stagiaire ? » n’est plus disponible" in response.text
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_the_centre_shows_a_line_whose_target_was_deleted_as_plain_text_not_a_link(people, signed_in):
    from apprenance.questions import services as question_services
    from tests.questions.factories import ask

    withdrawn = ask(people.owner, title="Comment accueillir un stagiaire ?")
    kept = ask(people.owner, title="Comment préparer un entretien annuel ?")
    gone = notify(people.admin, "question.answered", withdrawn, actor=people.owner)
    still_there = notify(people.admin, "question.answered", kept, actor=people.owner)
    question_services.delete_question(people.owner, withdrawn)

    response = signed_in(people.admin).get(reverse("notifications:centre"))

    assert reverse("notifications:open", args=[gone.pk]) not in response.text
    assert reverse("notifications:open", args=[still_there.pk]) in response.text
    shown = " ".join(re.sub(r"<[^>]+>", " ", response.text).split())
    assert "« Comment accueillir un stagiaire ? » (supprimé depuis)" in shown
    assert "« Comment préparer un entretien annuel ? » (supprimé depuis)" not in shown


def test_opening_a_line_marks_it_read_and_goes_to_the_target(people, signed_in):
    for newcomer in (people.owner, people.colleague):
        notify(people.admin, "member.joined", people.organisation, actor=newcomer)
    first = Notification.objects.filter(recipient=people.admin).first()
    response = signed_in(people.admin).get(reverse("notifications:open", args=[first.pk]))
    assert response["Location"] == reverse("people:organisation", args=["mairie-vernay"])
    assert not Notification.objects.filter(recipient=people.admin).unread().exists()


def test_nobody_opens_someone_elses_notification(people, signed_in):
    notification = notify(people.admin, "member.joined", people.organisation, actor=people.owner)
    assert signed_in(people.other_admin).get(reverse("notifications:open", args=[notification.pk])).status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read_and_the_unread_badge(people, signed_in):
    notify(people.admin, "member.joined", people.organisation, actor=people.owner)
    notify(people.admin, "member.joined", people.other_organisation, actor=people.outsider)
    client = signed_in(people.admin)
    assert ">2<" in client.get(reverse("notifications:badge")).text
    client.post(reverse("notifications:mark_all_read"))
    assert not Notification.objects.filter(recipient=people.admin).unread().exists()
    assert 'class="count"' not in client.get(reverse("notifications:badge")).text


def test_an_empty_centre_says_so(people, signed_in):
    assert "Rien de nouveau pour l’instant" in signed_in(people.owner).get(reverse("notifications:centre")).text


def test_the_inviter_hears_when_the_invitee_joins(people, client, signed_in, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        signed_in(people.admin).post(
            reverse("people:invite", args=["mairie-vernay"]), {"emails": "anne@exemple.fr", "role": "member"}
        )
    client.logout()
    link = re.search(r"http://\S+/invitations/\S+/", mail.outbox[-1].body).group(0)
    password = "Un-vrai-secret-42"
    client.post(link, {"first_name": "Anne", "last_name": "Durand", "password1": password, "password2": password})
    notification = Notification.objects.get(recipient=people.admin)
    assert notification.kind == "member.joined"
    assert notification.actor.email == "anne@exemple.fr"


def test_a_member_hears_when_their_role_changes(people, signed_in):
    signed_in(people.admin).post(
        reverse("people:manage_member", args=["mairie-vernay", people.owner.pk]),
        {"role": "animator", "is_active": "on", "teams": [people.team.pk]},
    )
    response = signed_in(people.owner).get(reverse("notifications:centre"))
    assert "vous a attribué le rôle « Animateur·rice » dans Mairie de Vernay" in response.text


def test_the_centre_runs_a_bounded_number_of_queries(people, signed_in, django_assert_max_num_queries):
    for _ in range(40):
        notify(
            people.admin, "member.joined", people.organisation, actor=MemberFactory(organisation=people.organisation)
        )
    client = signed_in(people.admin)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("notifications:centre"))
    assert response.status_code == 200
