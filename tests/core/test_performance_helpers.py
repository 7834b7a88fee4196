import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import RequestFactory

from apprenance.core.generations import bump, current
from apprenance.core.pagination import paginate_large
from apprenance.core.widgets import QuickSelect
from apprenance.people.models import Member

pytestmark = pytest.mark.django_db


def test_quick_select_escapes_values_and_labels_and_marks_the_selection():
    widget = QuickSelect()
    widget.options = [("", "Toutes"), ("a&b", "<script>alert(1)</script>"), ("c", "Mairie d’Arnelle")]
    html = widget.render("organisation", "c", attrs={"id": "id_organisation"})
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert 'value="a&amp;b"' in html
    assert '<option value="c" selected>Mairie d’Arnelle</option>' in html
    assert html.startswith('<select id="id_organisation" name="organisation">')


def test_generations_start_at_zero_and_count_bumps():
    assert current("people") == 0
    bump("people")
    bump("people")
    assert current("people") == 2


def test_large_pagination_keeps_its_count_until_the_version_changes(people):
    request = RequestFactory().get("/membres/", {"q": "x", "page": "1"})

    def members():
        return Member.objects.order_by("pk")

    first = paginate_large(request, members, version="1")
    assert first.paginator.count == 7
    assert [member.pk for member in first.object_list][:1] == [people.owner.pk]
    Member.objects.filter(pk=people.owner.pk).delete()
    assert paginate_large(request, members, version="1").paginator.count == 7
    assert paginate_large(request, members, version="2").paginator.count == 6


def test_large_pagination_queries_rows_only_when_they_are_shown(people, django_assert_num_queries):
    request = RequestFactory().get("/membres/", {"page": "2"})
    with django_assert_num_queries(1):  # the count
        page = paginate_large(request, lambda: Member.objects.order_by("pk"), version="1", per_page=5)
    assert page.number == 2
    with django_assert_num_queries(1):
        assert len(page.object_list) == 2


def test_serve_starts_granian_with_the_configured_processes(monkeypatch):
    started = {}
    monkeypatch.setattr("os.execv", lambda path, argv: started.update(path=path, argv=argv))
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    call_command("serve", "--port=8123")
    assert started["path"].endswith("granian")
    assert "--interface=wsgi" in started["argv"]
    assert "--port=8123" in started["argv"]
    assert "--workers=3" in started["argv"]
    assert started["argv"][-1] == "apprenance.wsgi:application"


def test_serve_refuses_a_bad_worker_count(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "beaucoup")
    with pytest.raises(CommandError, match="positive whole number"):
        call_command("serve")


def test_several_generations_are_read_in_one_query(db, django_assert_num_queries):
    from apprenance.core.generations import bump, current, current_many

    bump("practices")
    bump("practices")
    bump("questions")
    with django_assert_num_queries(1):
        read = current_many("practices", "questions", "never-bumped")
    assert read == {"practices": 2, "questions": 1, "never-bumped": 0}
    assert read["practices"] == current("practices")
