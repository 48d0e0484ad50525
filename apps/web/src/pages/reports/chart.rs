//! Bar charts of the dashboard (created against resolved tickets, SLA compliance per
//! bucket) as SVG that screen readers can read (a title, and each bar titled with its
//! figures); the page shows the same figures as tables too.

use helpdesk_service::reports::sla_trend::SlaTrendRow;
use helpdesk_service::reports::volume::VolumeRow;

/// Drawing size in SVG units; the chart scales to its box.
const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 200.0;
const BASE: f64 = 180.0;

#[derive(Debug, Clone)]
pub struct Bar {
    pub x: String,
    pub y: String,
    pub w: String,
    pub h: String,
    /// `created` or `resolved`.
    pub class: &'static str,
    pub title: String,
}

#[derive(Debug, Clone)]
pub struct Label {
    pub x: String,
    pub text: String,
}

#[derive(Debug, Clone)]
pub struct Chart {
    pub bars: Vec<Bar>,
    pub labels: Vec<Label>,
    /// The largest figure, the top of the scale.
    pub max: u64,
    pub width: f64,
    pub height: f64,
    pub base: f64,
}

/// The chart of `rows` (each `start` a date or an instant, shown as its date).
pub fn volume(rows: &[VolumeRow]) -> Chart {
    let max = rows
        .iter()
        .map(|r| r.created.max(r.resolved))
        .max()
        .unwrap_or(0)
        .max(1);
    let n = rows.len().max(1) as f64;
    let slot = WIDTH / n;
    let bar = (slot * 0.4).max(1.0);
    let scale = |v: u64| (v as f64 / max as f64) * (BASE - 10.0);
    let mut bars = Vec::with_capacity(rows.len() * 2);
    let mut labels = Vec::new();
    // About eight date labels whatever the number of buckets.
    let every = (rows.len() / 8).max(1);
    for (i, r) in rows.iter().enumerate() {
        let day: String = r.start.chars().take(10).collect();
        let x0 = i as f64 * slot + slot * 0.1;
        for (k, (v, class)) in [(r.created, "created"), (r.resolved, "resolved")]
            .into_iter()
            .enumerate()
        {
            let h = scale(v);
            bars.push(Bar {
                x: format!("{:.1}", x0 + k as f64 * bar),
                y: format!("{:.1}", BASE - h),
                w: format!("{bar:.1}"),
                h: format!("{h:.1}"),
                class,
                title: format!("{day}: {v} {class}"),
            });
        }
        if i % every == 0 {
            labels.push(Label {
                x: format!("{:.1}", x0),
                text: day.get(5..).unwrap_or(&day).to_owned(),
            });
        }
    }
    Chart {
        bars,
        labels,
        max,
        width: WIDTH,
        height: HEIGHT,
        base: BASE,
    }
}

/// The chart of SLA compliance per bucket, 0–100 %; a bucket with nothing decided has no
/// bar (and says so in its title).
pub fn compliance(rows: &[SlaTrendRow]) -> Chart {
    let n = rows.len().max(1) as f64;
    let slot = WIDTH / n;
    let bar = (slot * 0.6).max(1.0);
    let every = (rows.len() / 8).max(1);
    let mut bars = Vec::with_capacity(rows.len());
    let mut labels = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let x0 = i as f64 * slot + slot * 0.2;
        let (h, title) = match r.compliance_percent {
            Some(p) => (
                p / 100.0 * (BASE - 10.0),
                format!(
                    "{}: {p:.1} % met ({} met, {} breached)",
                    r.start, r.met, r.breached
                ),
            ),
            None => (0.0, format!("{}: nothing decided", r.start)),
        };
        bars.push(Bar {
            x: format!("{x0:.1}"),
            y: format!("{:.1}", BASE - h),
            w: format!("{bar:.1}"),
            h: format!("{h:.1}"),
            class: "resolved",
            title,
        });
        if i % every == 0 {
            labels.push(Label {
                x: format!("{x0:.1}"),
                text: r.start.get(5..).unwrap_or(&r.start).to_owned(),
            });
        }
    }
    Chart {
        bars,
        labels,
        max: 100,
        width: WIDTH,
        height: HEIGHT,
        base: BASE,
    }
}
