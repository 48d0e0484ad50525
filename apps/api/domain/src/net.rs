//! Which addresses outgoing requests (webhooks) may reach: public ones only, so that a
//! webhook cannot be pointed at the helpdesk's own network (server-side request forgery).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

fn public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    !(ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0
        || (a == 100 && (64..128).contains(&b)) // carrier-grade NAT
        || (a == 198 && (b == 18 || b == 19)) // benchmarking
        || a >= 240)
}

fn public_v6(ip: Ipv6Addr) -> bool {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return public_v4(v4);
    }
    let s = ip.segments();
    // Forms that carry or translate an IPv4 address (which may be a private one) or that
    // never reach the public internet are refused outright.
    !(ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        || s[..6] == [0; 6] // ::/96, IPv4-compatible (deprecated)
        || s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] // 64:ff9b::/96, NAT64
        || s[..3] == [0x64, 0xff9b, 1] // 64:ff9b:1::/48, local NAT64
        || s[..4] == [0x100, 0, 0, 0] // 100::/64, discard
        || s[0] == 0x2002 // 2002::/16, 6to4
        || (s[0] == 0x2001 && s[1] == 0) // 2001::/32, Teredo
        || (s[0] == 0x2001 && (s[1] & 0xfff0) == 0x10) // 2001:10::/28, ORCHID
        || (s[0] == 0x2001 && (s[1] & 0xfff0) == 0x20) // 2001:20::/28, ORCHIDv2
        || (s[0] == 0x2001 && s[1] == 0x0db8) // documentation
        || (s[0] == 0x3fff && s[1] < 0x1000) // 3fff::/20, documentation
        || (s[0] & 0xfe00) == 0xfc00 // unique local
        || (s[0] & 0xffc0) == 0xfe80 // link local
        || (s[0] & 0xffc0) == 0xfec0) // site local (deprecated)
}

/// Whether `ip` is a public unicast address.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => public_v4(v4),
        IpAddr::V6(v6) => public_v6(v6),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_ranges_are_refused() {
        for bad in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "::1",
            "fc00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "224.0.0.1",
            "64:ff9b::a00:1",
            "64:ff9b:1::1",
            "::127.0.0.1",
            "::a00:1",
            "2002:7f00:1::1",
            "2001:0:4136:e378::1",
            "fec0::1",
            "100::1",
            "2001:db8::1",
            "ff02::1",
            "2001:10::1",
            "2001:2f::1",
            "3fff:fff::1",
            "198.18.0.1",
            "198.19.255.1",
            "100.127.0.1",
            "255.255.255.255",
            "240.0.0.1",
            "0.1.2.3",
        ] {
            assert!(
                !is_public(bad.parse().unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST))),
                "{bad}"
            );
        }
        // Public neighbours of the refused ranges: each clause refuses no more than its
        // range.
        for good in [
            "93.184.216.34",
            "1.1.1.1",
            "2606:4700:4700::1111",
            "2001:4860:4860::8888",
            "2001:1::1",
            "2001:30::1",
            "2001:db9::1",
            "3fff:1000::1",
            "2003::1",
            "100.63.255.255",
            "100.128.0.1",
            "8.64.0.1",
            "198.17.0.1",
            "198.20.0.1",
            "18.18.0.1",
            "223.255.255.255",
        ] {
            assert!(
                is_public(good.parse().unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST))),
                "{good}"
            );
        }
    }
}
