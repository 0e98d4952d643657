def test_home_page_is_swedish(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert '<html lang="sv">' in response.content.decode()
