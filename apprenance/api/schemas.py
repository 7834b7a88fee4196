from ninja import Schema


class TeamOut(Schema):
    id: int
    name: str
    parent_id: int | None = None


class OrganisationOut(Schema):
    slug: str
    name: str
    world: str
    kind: str
    territory: str
    url: str


class OrganisationDetailOut(OrganisationOut):
    description: str
    teams: list[TeamOut]


class MemberOut(Schema):
    id: int
    name: str
    first_name: str
    last_name: str
    email: str
    job_title: str
    organisation: str
    teams: list[str]
    role: str
    url: str


class MemberDetailOut(MemberOut):
    bio: str
    languages: list[str]


class Page(Schema):
    count: int
    page: int
    pages: int


class MemberPage(Page):
    items: list[MemberOut]


class ErrorOut(Schema):
    detail: str
