//! The client's address for rate limiting: the TCP peer, or, behind trusted proxies, the
//! `X-Forwarded-For` entry the outermost trusted proxy saw. Every adapter that serves
//! people (the JSON API, the web app) asks here, so the rule is the same for both.
//!
//! Proxies append the address they received from, so only the right-most entries are
//! trustworthy: a client can put anything on the left. With `n` trusted proxies the client
//! is the `n`-th entry from the right.

use std::net::{IpAddr, Ipv4Addr};

/// The client of a request that came from `peer` with these `X-Forwarded-For` header
/// values (in order), when `trusted` proxies stand in front of the server.
pub fn client_address<'a>(
    forwarded_for: impl Iterator<Item = &'a str>,
    trusted: usize,
    peer: Option<IpAddr>,
) -> IpAddr {
    forwarded_client(forwarded_for, trusted)
        .or(peer)
        .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
}

/// The address `trusted` proxies vouch for. `None` when the header has fewer hops than
/// there are proxies (a request that did not come through them all) or the hop is not an
/// address.
fn forwarded_client<'a>(values: impl Iterator<Item = &'a str>, trusted: usize) -> Option<IpAddr> {
    if trusted == 0 {
        return None;
    }
    let hops: Vec<&str> = values.flat_map(|v| v.split(',')).map(str::trim).collect();
    let index = hops.len().checked_sub(trusted)?;
    hops.get(index)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hop(values: &[&str], trusted: usize) -> Option<IpAddr> {
        forwarded_client(values.iter().copied(), trusted)
    }

    #[test]
    fn takes_the_hop_the_trusted_proxies_added() {
        let h = ["6.6.6.6, 10.0.0.1", "10.0.0.2"];
        assert_eq!(hop(&h, 1), "10.0.0.2".parse().ok());
        assert_eq!(hop(&h, 2), "10.0.0.1".parse().ok());
        assert_eq!(hop(&h, 3), "6.6.6.6".parse().ok());
        assert_eq!(hop(&h, 4), None);
        assert_eq!(hop(&h, 0), None);
        assert_eq!(hop(&["nonsense"], 1), None);
    }

    #[test]
    fn falls_back_to_the_peer() {
        let peer: IpAddr = "192.0.2.7"
            .parse()
            .unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST));
        assert_eq!(client_address(["6.6.6.6"].into_iter(), 0, Some(peer)), peer);
        assert_eq!(
            client_address(std::iter::empty(), 0, None),
            IpAddr::V4(Ipv4Addr::UNSPECIFIED)
        );
    }
}
