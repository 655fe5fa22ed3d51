"""Bearer tokens, browser sessions with CSRF, login throttling, logout."""

from __future__ import annotations

import pytest

API = "/api/v1"


def test_requests_without_credentials_get_401_in_the_error_shape(client, assert_error):
    response = client.get(f"{API}/complaints")
    assert_error(response, 401, "authentication_failed")
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_unknown_or_malformed_token_is_refused(client, assert_error):
    assert_error(client.get(f"{API}/complaints", headers={"Authorization": "Bearer nope"}), 401)
    assert_error(
        client.get(f"{API}/complaints", headers={"Authorization": "Basic abc"}), 401, field="authorization"
    )


def test_wrong_password_is_refused_without_saying_which_part_was_wrong(client, assert_error):
    wrong = client.post(f"{API}/auth/token", json={"username": "alice", "password": "nope-nope"})
    unknown = client.post(f"{API}/auth/token", json={"username": "ghost", "password": "nope-nope"})
    assert_error(wrong, 401, "authentication_failed")
    assert wrong.json()["error"]["message"] == unknown.json()["error"]["message"]


def test_five_failed_logins_lock_the_account_even_for_the_right_password(client, assert_error, password):
    for _ in range(5):
        client.post(f"{API}/auth/token", json={"username": "alice", "password": "guess-guess"})
    locked = client.post(f"{API}/auth/token", json={"username": "alice", "password": password})
    assert_error(locked, 401, "login_throttled")
    # Colleagues behind the same address still get in.
    assert client.post(f"{API}/auth/token", json={"username": "bob", "password": password}).status_code == 200


def test_password_spraying_from_one_address_locks_that_address(client, assert_error, password):
    from complaintdesk.services import accounts

    for i in range(accounts.MAX_FAILURES_PER_ADDRESS):
        client.post(f"{API}/auth/token", json={"username": f"guess{i}", "password": "spray-spray"})
    locked = client.post(f"{API}/auth/token", json={"username": "bob", "password": password})
    assert_error(locked, 401, "login_throttled")


def test_token_login_gives_the_user_and_me_reports_it(client, auth):
    me = client.get(f"{API}/auth/me", headers=auth("lena")).json()
    assert me["username"] == "lena" and me["role"] == "team_lead" and me["team"] == "A"


def test_session_cookie_is_httponly_and_samesite(client, password):
    response = client.post(f"{API}/auth/login", json={"username": "alice", "password": password})
    assert response.status_code == 200
    cookie = response.headers["set-cookie"].lower()
    assert "cd_session=" in cookie and "httponly" in cookie and "samesite=lax" in cookie
    assert "access_token" not in response.json()
    assert response.json()["csrf_token"]


def test_cookie_request_without_csrf_token_cannot_write(client, assert_error, complaint_body, password):
    login = client.post(f"{API}/auth/login", json={"username": "alice", "password": password})
    csrf = login.json()["csrf_token"]
    assert client.get(f"{API}/complaints").status_code == 200  # safe methods need no token
    refused = client.post(f"{API}/complaints", json=complaint_body())
    assert_error(refused, 403, "csrf_failed", "csrf_token")
    wrong = client.post(f"{API}/complaints", json=complaint_body(), headers={"X-CSRF-Token": "forged"})
    assert_error(wrong, 403, "csrf_failed")
    accepted = client.post(f"{API}/complaints", json=complaint_body(), headers={"X-CSRF-Token": csrf})
    assert accepted.status_code == 201


def test_logout_ends_the_session(client, password):
    login = client.post(f"{API}/auth/login", json={"username": "alice", "password": password})
    csrf = login.json()["csrf_token"]
    assert client.post(f"{API}/auth/logout", headers={"X-CSRF-Token": csrf}).status_code == 204
    client.cookies.clear()
    assert client.get(f"{API}/complaints").status_code == 401


def test_bearer_logout_revokes_the_token(client, auth, assert_error):
    headers = auth("alice")
    assert client.post(f"{API}/auth/logout", headers=headers).status_code == 204
    assert_error(client.get(f"{API}/complaints", headers=headers), 401)


def test_a_new_password_ends_existing_logins(client, auth, assert_error, password):
    old = auth("alice")
    response = client.put(
        f"{API}/users/alice/password",
        json={"password": "another-long-one", "current_password": password},
        headers=old,
    )
    assert response.status_code == 204
    assert_error(client.get(f"{API}/complaints", headers=old), 401)
    fresh = client.post(f"{API}/auth/token", json={"username": "alice", "password": "another-long-one"})
    assert fresh.status_code == 200


def test_short_passwords_are_refused(client, auth, assert_error):
    response = client.post(
        f"{API}/users",
        json={"username": "newbie", "display_name": "新人", "role": "agent", "password": "short"},
        headers=auth("root"),
    )
    assert_error(response, 422, field="password")


def test_changing_ones_own_password_needs_the_current_one(client, auth, assert_error):
    headers = auth("alice")
    missing = client.put(f"{API}/users/alice/password", json={"password": "hijacked-123"}, headers=headers)
    assert_error(missing, 422, field="current_password")
    wrong = client.put(
        f"{API}/users/alice/password",
        json={"password": "hijacked-123", "current_password": "not-my-password"},
        headers=headers,
    )
    assert_error(wrong, 401, field="current_password")
    assert client.get(f"{API}/complaints", headers=headers).status_code == 200  # nothing changed


def test_an_admin_resets_someone_elses_password_without_knowing_it(client, auth):
    response = client.put(f"{API}/users/alice/password", json={"password": "reset-by-admin"}, headers=auth("root"))
    assert response.status_code == 204


def test_wrong_passwords_from_one_address_do_not_lock_the_owner_out_from_another(client, desk, password):
    from complaintdesk.domain.errors import AuthenticationFailed
    from complaintdesk.services import accounts

    for _ in range(accounts.MAX_FAILURES + 3):
        with pytest.raises(AuthenticationFailed):
            accounts.login(desk.uow(), "root", "guess-guess", client="203.0.113.9")
    with pytest.raises(AuthenticationFailed) as locked:
        accounts.login(desk.uow(), "root", password, client="203.0.113.9")
    assert locked.value.code == "login_throttled"
    assert accounts.login(desk.uow(), "root", password, client="10.1.2.3").token


def test_an_admin_unlocks_a_locked_account_at_once(client, auth, assert_error, password):
    for _ in range(5):
        client.post(f"{API}/auth/token", json={"username": "alice", "password": "guess-guess"})
    assert_error(client.post(f"{API}/auth/token", json={"username": "alice", "password": password}), 401,
                 "login_throttled")  # fmt: skip
    refused = client.post(f"{API}/users/alice/unlock", headers=auth("bob"))
    assert refused.status_code == 403
    unlocked = client.post(f"{API}/users/alice/unlock", headers=auth("root"))
    assert unlocked.status_code == 200 and unlocked.json()["locks_lifted"] >= 1
    assert client.post(f"{API}/auth/token", json={"username": "alice", "password": password}).status_code == 200


def test_a_password_reset_lifts_the_login_lock(client, auth, assert_error):
    for _ in range(5):
        client.post(f"{API}/auth/token", json={"username": "alice", "password": "guess-guess"})
    reset = client.put(f"{API}/users/alice/password", json={"password": "fresh-start-1"}, headers=auth("root"))
    assert reset.status_code == 204
    assert client.post(f"{API}/auth/token", json={"username": "alice", "password": "fresh-start-1"}).status_code == 200
