"""Free labels typed by members (tags, skills): one row per name, matched by its slug."""

from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _


class LabelQuerySet(models.QuerySet):
    def named(self, names: list[str]) -> list:
        """The labels with these names, in order, created when new (« Réunion » finds « réunion »)."""
        wanted = {}
        for name in names:
            name = " ".join(name.split())
            slug = slugify(name)
            if slug and slug not in wanted:
                wanted[slug] = name
        existing = {label.slug: label for label in self.filter(slug__in=list(wanted))}
        missing = [self.model(name=name, slug=slug) for slug, name in wanted.items() if slug not in existing]
        if missing:
            self.model.objects.bulk_create(missing, ignore_conflicts=True)
            existing = {label.slug: label for label in self.filter(slug__in=list(wanted))}
        return [existing[slug] for slug in wanted]


class Label(models.Model):
    name = models.CharField(_("nom"), max_length=120)
    slug = models.SlugField(_("identifiant"), max_length=140, unique=True)

    objects = LabelQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name
