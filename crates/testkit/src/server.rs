//! A running cncl web application on a random loopback port with a fresh database, and
//! clients for it: the way the web crate's tests and the command line's reach the server.

use cncl_store::Backend;

use crate::TestDb;

/// A running server and a client for it.
pub struct TestServer {
    pub base: String,
    /// Signed in as the programme office (an admin API token).
    pub client: reqwest::Client,
    /// Nobody.
    pub anonymous: reqwest::Client,
    pub app: cncl_app::App,
    pub db: TestDb,
}

/// The programme office, with every right.
pub fn admin() -> cncl_app::Actor {
    cncl_app::Actor::system("test-office")
}

/// A client that sends `token` as its bearer token.
pub fn client_with(token: &str) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    let value = reqwest::header::HeaderValue::from_str(&format!("Bearer {token}")).unwrap();
    headers.insert(reqwest::header::AUTHORIZATION, value);
    reqwest::Client::builder().default_headers(headers).build().unwrap()
}

impl TestServer {
    pub async fn start(backend: Backend) -> Option<TestServer> {
        Self::start_with_clock(backend, std::sync::Arc::new(cncl_app::policy::SystemClock)).await
    }

    pub async fn start_with_clock(
        backend: Backend,
        clock: std::sync::Arc<dyn cncl_app::policy::Clock>,
    ) -> Option<TestServer> {
        Self::start_with(backend, clock, cncl_web::client::WebConfig::default()).await
    }

    pub async fn start_with(
        backend: Backend,
        clock: std::sync::Arc<dyn cncl_app::policy::Clock>,
        config: cncl_web::client::WebConfig,
    ) -> Option<TestServer> {
        let db = TestDb::new(backend).await?;
        let app = cncl_app::App::open_with_clock(&db.address, clock).await.unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let router = cncl_web::router_with(app.clone(), config);
        tokio::spawn(async move { axum_serve(listener, router).await });
        let expires = app.now() + chrono::Duration::days(30);
        let (_, token) =
            app.create_api_token(&admin(), "tests", cncl_app::Role::Admin, None, vec![], expires).await.unwrap();
        Some(TestServer { base, client: client_with(&token), anonymous: reqwest::Client::new(), app, db })
    }

    /// The id of the task with `code`.
    pub async fn task_id(&self, code: &str) -> uuid::Uuid {
        self.app.task_by_code(&admin(), code).await.unwrap().id.as_uuid()
    }

    /// Task `task`'s progress report for `quarter`.
    pub async fn report(
        &self,
        task: uuid::Uuid,
        quarter: u8,
    ) -> cncl_domain::Stored<cncl_domain::governance::ProgressReport> {
        let all = cncl_app::ListQuery { per_page: Some(cncl_app::records::MAX_PER_PAGE), ..Default::default() };
        let reports = self.app.list::<cncl_domain::governance::ProgressReport>(&admin(), &all).await.unwrap().items;
        reports.into_iter().find(|r| r.record.task_id.as_uuid() == task && r.record.quarter.get() == quarter).unwrap()
    }

    /// The lead organisation of the task with `code`.
    pub async fn lead_organisation(&self, code: &str) -> uuid::Uuid {
        let today = cncl_domain::Date::from_ymd(2026, 11, 1).unwrap();
        let dossier = self.app.task_dossier(&admin(), self.task_id(code).await.into(), today).await.unwrap();
        let lead = dossier.participants.iter().find(|p| p.participant.record.role.as_str() == "lead").unwrap();
        lead.organisation.as_ref().unwrap().id.as_uuid()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get_json(&self, path: &str) -> (u16, serde_json::Value) {
        let response = self.client.get(self.url(path)).send().await.unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(serde_json::Value::Null))
    }

    pub async fn send_json(&self, method: reqwest::Method, path: &str, body: &str) -> (u16, serde_json::Value) {
        let response = self
            .client
            .request(method, self.url(path))
            .header("content-type", "application/json")
            .body(body.to_owned())
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(serde_json::Value::Null))
    }
}

async fn axum_serve(listener: tokio::net::TcpListener, router: axum::Router) {
    let service = router.into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, service).await.unwrap();
}
