//! Where a request came from. Behind a reverse proxy every request arrives from the proxy, so
//! its `X-Forwarded-For` and `X-Forwarded-Proto` are read — but only when the peer is one of
//! the proxies the office configured; from anyone else those headers are the client's own
//! words and carry no weight.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;

use crate::AppState;

/// Settings of the HTTP surface.
#[derive(Debug, Clone, Default)]
pub struct WebConfig {
    /// Reverse proxies whose `X-Forwarded-*` headers are believed.
    pub trusted_proxies: Vec<IpAddr>,
    /// cncl's public address, printed on published reports (`https://cncl.most.gov.vn`).
    pub public_url: String,
    /// What lays reports out and checks copies; without it, reports are listed and
    /// downloaded but not published or verified.
    pub reports: Option<std::sync::Arc<dyn cncl_app::publication::ReportMaker>>,
    /// Who may read `/metrics`.
    pub metrics: MetricsAccess,
}

/// Who may read `/metrics`.
#[derive(Debug, Clone)]
pub struct MetricsAccess {
    /// Clients allowed by address (after a trusted proxy's `X-Forwarded-For`).
    pub allow: Vec<IpAddr>,
    /// A bearer token that opens it from anywhere.
    pub token: Option<String>,
}

impl Default for MetricsAccess {
    /// This machine only.
    fn default() -> Self {
        MetricsAccess {
            allow: vec![IpAddr::from([127, 0, 0, 1]), IpAddr::from([0, 0, 0, 0, 0, 0, 0, 1u16])],
            token: None,
        }
    }
}

fn peer(parts: &Parts) -> Option<IpAddr> {
    parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|info| info.0.ip())
}

/// The client's address: the peer, or, when the peer is a trusted proxy, the last address in
/// `X-Forwarded-For` that is not one (the proxies append; what a client wrote comes first).
pub fn client_address(peer: Option<IpAddr>, headers: &HeaderMap, trusted: &[IpAddr]) -> Option<IpAddr> {
    let peer = peer?;
    if !trusted.contains(&peer) {
        return Some(peer);
    }
    let forwarded: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|a| a.trim().parse().ok())
        .collect();
    Some(forwarded.into_iter().rev().find(|a| !trusted.contains(a)).unwrap_or(peer))
}

/// Whether the client reached a trusted proxy over TLS.
pub fn via_tls(peer: Option<IpAddr>, headers: &HeaderMap, trusted: &[IpAddr]) -> bool {
    peer.is_some_and(|p| trusted.contains(&p))
        && headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|p| p.trim().eq_ignore_ascii_case("https"))
}

/// The client's address, for throttling sign-ins.
pub struct ClientAddress(pub String);

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let address = client_address(peer(parts), &parts.headers, &state.config.trusted_proxies);
        Ok(ClientAddress(address.map_or_else(|| "unknown".to_owned(), |a| a.to_string())))
    }
}

/// `Strict-Transport-Security` on every answer to a request that came over TLS through a
/// trusted proxy: browsers then refuse plain HTTP to this site for a year.
pub async fn hsts(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let peer = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|info| info.0.ip());
    let tls = via_tls(peer, request.headers(), &state.config.trusted_proxies);
    let mut response = next.run(request).await;
    if tls {
        response.headers_mut().insert(
            axum::http::header::STRICT_TRANSPORT_SECURITY,
            axum::http::HeaderValue::from_static("max-age=31536000"),
        );
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap_or(IpAddr::from([0, 0, 0, 0]))
    }

    #[test]
    fn forwarded_addresses_count_only_from_trusted_proxies() {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", "6.6.6.6, 203.0.113.9".parse().unwrap_or_else(|_| unreachable!()));
        let proxy = [ip("10.0.0.2")];
        assert_eq!(client_address(Some(ip("10.0.0.2")), &headers, &proxy), Some(ip("203.0.113.9")));
        assert_eq!(client_address(Some(ip("198.51.100.7")), &headers, &proxy), Some(ip("198.51.100.7")));
        assert_eq!(client_address(Some(ip("10.0.0.2")), &HeaderMap::new(), &proxy), Some(ip("10.0.0.2")));
    }
}
