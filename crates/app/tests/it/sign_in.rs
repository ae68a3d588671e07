//! Sign-in under attack: counting and checking are one step, so parallel guesses cannot slip
//! past the limit (on one instance or two sharing PostgreSQL); an unknown account costs what
//! a known one costs; a busy address is slowed, never locked out of correct sign-ins.

use std::time::{Duration, Instant};

use cncl_app::accounts::{AuthPolicy, NewAccount};
use cncl_app::{App, AppError, Role};
use cncl_store::Backend;
use cncl_testkit::TestDb;

use crate::admin;

cncl_testkit::on_both_backends!(cncl_testkit::TestApp::start =>
    parallel_wrong_passwords_get_exactly_the_limit_checked,
    a_busy_address_is_slowed_but_other_accounts_still_sign_in,
    an_unknown_account_takes_as_long_as_a_wrong_password,
    weak_passwords_are_refused,
    admin_tokens_need_a_second_factor_and_expire_within_90_days,
);

const PASSWORD: &str = "correct horse battery staple";

async fn account(app: &App, username: &str) {
    let new = NewAccount {
        username: username.into(),
        display_name: username.into(),
        role: Role::Viewer,
        organisation_id: None,
        products: vec![],
        password: Some(PASSWORD.into()),
    };
    app.create_account(&admin(), new).await.unwrap();
}

/// Sign in `count` times at once; how many were checked (403) and how many refused (429).
async fn burst(apps: &[&App], username: &str, count: usize) -> (usize, usize) {
    let attempts = (0..count).map(|i| apps[i % apps.len()].sign_in(username, "a wrong guess!!", "198.51.100.7"));
    let results = join_all(attempts.collect()).await;
    let checked = results.iter().filter(|r| matches!(r, Err(AppError::Forbidden(_)))).count();
    let refused = results
        .iter()
        .filter(|r| matches!(r, Err(AppError::Throttled { retry_after_seconds }) if *retry_after_seconds > 0))
        .count();
    (checked, refused)
}

/// Polls every future concurrently on this task (no spawning, so borrowed apps are fine).
async fn join_all<F: std::future::Future>(futures: Vec<F>) -> Vec<F::Output> {
    let mut pinned: Vec<_> = futures.into_iter().map(Box::pin).collect();
    let mut outputs: Vec<Option<F::Output>> = (0..pinned.len()).map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (future, output) in pinned.iter_mut().zip(outputs.iter_mut()) {
            if output.is_none() {
                match future.as_mut().poll(cx) {
                    std::task::Poll::Ready(value) => *output = Some(value),
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending { std::task::Poll::Pending } else { std::task::Poll::Ready(()) }
    })
    .await;
    outputs.into_iter().flatten().collect()
}

async fn parallel_wrong_passwords_get_exactly_the_limit_checked(app: &App) {
    account(app, "target").await;
    let (checked, refused) = burst(&[app], "target", 40).await;
    assert_eq!((checked, refused), (5, 35), "five guesses checked, the rest refused with Retry-After");
    let right = app.sign_in("target", PASSWORD, "198.51.100.7").await;
    assert!(matches!(right, Err(AppError::Throttled { .. })), "the guesser's address waits even with the password");
    assert!(app.sign_in("target", PASSWORD, "203.0.113.5").await.is_ok(), "the owner elsewhere signs in");
}

#[tokio::test]
async fn two_instances_on_one_postgresql_share_the_count() {
    let Some(db) = TestDb::new(Backend::Postgres).await else {
        eprintln!("skipped: CNCL_TEST_POSTGRES is not set");
        return;
    };
    let (one, two) = (App::open(&db.address).await.unwrap(), App::open(&db.address).await.unwrap());
    account(&one, "shared").await;
    let (checked, refused) = burst(&[&one, &two], "shared", 40).await;
    assert_eq!((checked, refused), (5, 35));
}

async fn a_busy_address_is_slowed_but_other_accounts_still_sign_in(app: &App) {
    let slow_down = Duration::from_millis(300);
    let app = app.clone().with_auth_policy(AuthPolicy { slow_down, ..AuthPolicy::default() });
    account(&app, "office-user").await;
    // Spraying many accounts from the office's one address (its reverse proxy).
    for i in 0..25 {
        let _ = app.sign_in(&format!("guess-{i}"), "a wrong guess!!", "10.0.0.2").await;
    }
    let started = Instant::now();
    assert!(app.sign_in("office-user", PASSWORD, "10.0.0.2").await.is_ok(), "a correct sign-in is never refused");
    assert!(started.elapsed() >= slow_down, "but it waits: {:?}", started.elapsed());
    let started = Instant::now();
    assert!(app.sign_in("office-user", PASSWORD, "192.0.2.1").await.is_ok());
    assert!(started.elapsed() < slow_down, "other addresses do not wait");
}

async fn an_unknown_account_takes_as_long_as_a_wrong_password(app: &App) {
    account(app, "known").await;
    let time = |username: &'static str| async move {
        let started = Instant::now();
        for i in 0..4 {
            let result = app.sign_in(username, "a wrong guess!!", &format!("192.0.2.{i}")).await;
            assert!(matches!(result, Err(AppError::Forbidden(ref m)) if m.en == "wrong username or password"));
        }
        started.elapsed()
    };
    let (known, unknown) = (time("known").await, time("nobody-by-this-name").await);
    let ratio = unknown.as_secs_f64() / known.as_secs_f64();
    assert!((0.5..2.0).contains(&ratio), "known {known:?}, unknown {unknown:?}: the timing names accounts");
}

async fn weak_passwords_are_refused(app: &App) {
    for weak in ["aaaaaaaaaaaa", "password1234", "weakling-user1"] {
        let new = NewAccount {
            username: "weakling-user".into(),
            display_name: "Weakling".into(),
            role: Role::Viewer,
            organisation_id: None,
            products: vec![],
            password: Some(weak.into()),
        };
        let refused = app.create_account(&admin(), new).await;
        assert!(matches!(refused, Err(AppError::Invalid(ref e)) if e.field == "password"), "{weak}: {refused:?}");
    }
}

async fn admin_tokens_need_a_second_factor_and_expire_within_90_days(app: &App) {
    let days = |n| app.now() + chrono::Duration::days(n);
    let long = app.create_api_token(&admin(), "too long", Role::Admin, None, vec![], days(91)).await;
    assert!(matches!(long, Err(AppError::Invalid(ref e)) if e.field == "expires_at"), "{long:?}");
    let (_, secret) = app.create_api_token(&admin(), "office", Role::Admin, None, vec![], days(90)).await.unwrap();
    let by_token = app.token_actor(&secret).await.unwrap();
    let again = app.create_api_token(&by_token, "another", Role::Admin, None, vec![], days(30)).await;
    assert!(matches!(again, Err(AppError::Forbidden(_))), "a token makes no admin token: {again:?}");
    assert!(app.create_api_token(&by_token, "reader", Role::Viewer, None, vec![], days(30)).await.is_ok());
    // An admin account without TOTP (it has not finished its first sign-in) makes none either.
    let new = NewAccount {
        username: "new-admin".into(),
        display_name: "New admin".into(),
        role: Role::Admin,
        organisation_id: None,
        products: vec![],
        password: Some(PASSWORD.into()),
    };
    let (account, _) = app.create_account(&admin(), new).await.unwrap();
    let actor = cncl_app::accounts::actor_of(&account);
    let without = app.create_api_token(&actor, "mine", Role::Admin, None, vec![], days(30)).await;
    assert!(matches!(without, Err(AppError::Forbidden(_))), "{without:?}");
}
