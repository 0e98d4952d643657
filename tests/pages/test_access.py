"""Each role reaches its own pages and is refused on every other role's pages."""

import pytest

from registry.models import ExperienceResource

# page → the personas allowed to see it
PAGES = {
    "/samordning/": {"coordinator"},
    "/samordning/resurser/": {"coordinator"},
    "/samordning/resurser/{resource_id}/": {"coordinator"},
    "/verksamhet/": {"unit_staff"},
    "/mina-sidor/": {"resource"},
    "/ekonomi/": {"finance"},
    "/granskningslogg/": {"administrator"},
    "/admin/": {"administrator"},
}
PERSONAS = ["coordinator", "finance", "administrator", "unit_staff", "resource", "outsider"]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", PAGES)
def test_role_access(client, personas, login, persona, page):
    resource = ExperienceResource.objects.get(user=personas["resource"])
    url = page.format(resource_id=resource.pk)
    login(client, personas[persona])

    response = client.get(url)

    if persona in PAGES[page]:
        assert response.status_code == 200
    elif url.startswith("/admin/"):
        assert response.status_code in (302, 403)
        assert client.get("/admin/accounts/user/").status_code in (302, 403)
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_is_sent_to_sign_in(client, db, page):
    response = client.get(page.format(resource_id=1), follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")
    assert response.wsgi_request.user.is_anonymous


@pytest.mark.parametrize(
    ("persona", "start"),
    [
        ("coordinator", "/samordning/"),
        ("finance", "/ekonomi/"),
        ("unit_staff", "/verksamhet/"),
        ("resource", "/mina-sidor/"),
        ("administrator", "/granskningslogg/"),
    ],
)
def test_start_page_follows_role(client, personas, login, persona, start):
    login(client, personas[persona])
    response = client.get("/start/")
    assert response.status_code == 302
    assert response.url == start


def test_user_without_role_gets_a_kind_page(client, outsider, login):
    login(client, outsider)
    response = client.get("/start/")
    assert response.status_code == 200
    assert "Ditt konto har ingen roll ännu" in response.content.decode()


def test_navigation_shows_only_own_roles(client, unit_staff, login):
    login(client, unit_staff)
    page = client.get("/verksamhet/").content.decode()
    assert 'href="/verksamhet/"' in page
    assert 'href="/samordning/"' not in page
    assert 'href="/ekonomi/"' not in page


@pytest.mark.parametrize(
    ("path", "marked"),
    [
        ("/samordning/", ("/samordning/", "page")),
        ("/samordning/forfragningar/", ("/samordning/forfragningar/", "page")),
        ("/samordning/resurser/?sok=x", ("/samordning/resurser/", "page")),
        ("/samordning/resurser/ny/", ("/samordning/resurser/", "true")),
    ],
)
def test_navigation_marks_one_item_the_most_specific(client, coordinator, login, path, marked):
    login(client, coordinator)
    page = client.get(path).content.decode()
    url, current = marked
    assert page.count("aria-current=") == 1
    assert f'class="nav-link active" href="{url}" aria-current="{current}"' in page


def test_person_with_two_roles_reaches_both(client, db, login):
    from accounts.enums import Role
    from tests.factories import UserFactory

    user = UserFactory(roles=[Role.COORDINATOR, Role.FINANCE], mfa=True)
    login(client, user)
    assert client.get("/samordning/").status_code == 200
    assert client.get("/ekonomi/").status_code == 200
    assert client.get("/verksamhet/").status_code == 403
