//! Expert search speed: per keystroke over the 190 demo experts and over 100,000 synthetic
//! ones.
//!
//! `cargo bench --bench experts` runs the criterion benchmarks.
//! `cargo bench --bench experts -- --keystrokes [--fzf-lines PATH]` types each query of
//! `QUERIES` one character at a time, times every keystroke's search, and prints p50/p99; with
//! `--fzf-lines` it also writes the 100,000 experts as text lines (name, pinyin, initials,
//! specialties, group, organisation, district) and the typed prefixes to `PATH.queries`, for
//! `benches/experts_vs_fzf.sh`. See docs/PERFORMANCE.md.

use criterion::{Criterion, criterion_group};
use pinyin::ToPinyin;
use std::hint::black_box;
use std::io::Write;
use std::time::{Duration, Instant};
use watchroom::experts::{ExpertIndex, Filters};
use watchroom::model::Expert;

/// What a duty officer types: names in characters, pinyin and initials, specialties, a group.
const QUERIES: &[&str] = &[
    "zhangwei",
    "张伟",
    "zmw",
    "燃气",
    "ranqi",
    "shan",
    "危化品",
    "liming",
    "城市生命线",
    "chenjh",
];

const SYNTHETIC: usize = 100_000;

/// Given-name characters for the synthetic pool (combined at random: fictional people).
const GIVEN: &str = "伟芳敏静丽强磊军洋勇艳杰涛明超秀霞平刚英华玉萍红燕文辉建国晓俊峰宇鹏志斌海波宁欣婷\
                     雪琳慧颖嘉思晨睿浩博凯毅东立新春云帆楠子涵梓轩一诺雨桐怡然墨若汐佳琪泽瑞安乐长";

/// A deterministic pseudo-random sequence (no dependency, same pool on every run).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % n
    }
}

fn demo() -> Vec<Expert> {
    match watchroom::server::demo_expert_directory() {
        Ok(d) => d.items,
        Err(e) => {
            eprintln!("cannot build the demo directory: {e:#}");
            std::process::exit(2);
        }
    }
}

/// `n` fictional experts: demo experts' groups, roles and specialties with generated names
/// (surnames from the demo pool and a few compound ones; one or two given characters, or the
/// anonymised 某 form).
fn synthetic(n: usize, demo: &[Expert]) -> Vec<Expert> {
    let mut surnames: Vec<String> = Vec::new();
    for e in demo {
        let s: String = e.name.chars().take(1).collect();
        if !surnames.contains(&s) {
            surnames.push(s);
        }
    }
    surnames.extend(["欧阳", "司马", "尉迟", "上官", "诸葛"].map(str::to_owned));
    let given: Vec<char> = GIVEN.chars().collect();
    let mut rng = Lcg(0x5eed);
    (0..n)
        .map(|i| {
            let template = &demo[rng.next(demo.len())];
            let mut name = surnames[rng.next(surnames.len())].clone();
            match rng.next(10) {
                0 => name.push('某'),
                1..=4 => {}
                _ => name.push(given[rng.next(given.len())]),
            }
            name.push(given[rng.next(given.len())]);
            Expert {
                id: format!("syn-{i}"),
                name,
                available: rng.next(10) != 0,
                ..template.clone()
            }
        })
        .collect()
}

/// Every prefix of every query: one search per keystroke.
fn keystrokes() -> Vec<String> {
    let mut out = Vec::new();
    for q in QUERIES {
        let chars: Vec<char> = q.chars().collect();
        for n in 1..=chars.len() {
            out.push(chars[..n].iter().collect());
        }
    }
    out
}

fn percentile(sorted: &[Duration], p: usize) -> Duration {
    let rank = (sorted.len() * p).div_ceil(100).max(1);
    sorted[rank - 1]
}

fn measure(label: &str, index: &ExpertIndex, rounds: usize) {
    let keys = keystrokes();
    let none = Filters::default();
    let mut times = Vec::with_capacity(keys.len() * rounds);
    let mut per_key = vec![Duration::MAX; keys.len()];
    let mut counts = vec![0; keys.len()];
    let mut hits = 0usize;
    for _ in 0..rounds {
        for (i, k) in keys.iter().enumerate() {
            let t = Instant::now();
            let h = index.search(k, &none);
            let d = t.elapsed();
            times.push(d);
            per_key[i] = per_key[i].min(d);
            counts[i] = h.len();
            hits += black_box(h.len());
        }
    }
    if std::env::args().any(|a| a == "--verbose") {
        for (i, k) in keys.iter().enumerate() {
            println!(
                "  {k:12} best {:8.3} ms  {:6} hits",
                ms(per_key[i]),
                counts[i]
            );
        }
    }
    times.sort();
    println!(
        "{label}: {} keystrokes ({} rounds of {}), p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms ({} hits)",
        times.len(),
        rounds,
        keys.len(),
        ms(percentile(&times, 50)),
        ms(percentile(&times, 99)),
        ms(times[times.len() - 1]),
        hits / rounds
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The text fzf gets for an expert: everything our index searches, pinyin spelled out.
fn line(e: &Expert) -> String {
    let mut full = String::new();
    let mut initials = String::new();
    for c in e.name.chars() {
        match c.to_pinyin() {
            Some(p) => {
                full.push_str(p.plain());
                initials.push_str(p.first_letter());
            }
            None => full.push(c),
        }
    }
    format!(
        "{} {full} {initials} {} {} {} {} {}",
        e.name,
        e.specialties.join(" "),
        e.group,
        e.domain,
        e.organisation,
        e.district
    )
}

fn keystroke_mode(fzf_lines: Option<String>) -> std::io::Result<()> {
    let demo = demo();
    let t = Instant::now();
    let small = ExpertIndex::new(&demo);
    println!(
        "index build, {} demo experts: {:.2} ms",
        demo.len(),
        ms(t.elapsed())
    );
    let big_pool = synthetic(SYNTHETIC, &demo);
    let t = Instant::now();
    let big = ExpertIndex::new(&big_pool);
    println!(
        "index build, {SYNTHETIC} synthetic experts: {:.1} ms",
        ms(t.elapsed())
    );
    measure("190 demo experts", &small, 50);
    measure("100,000 synthetic experts", &big, 5);
    if let Some(path) = fzf_lines {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&path)?);
        for e in &big_pool {
            writeln!(f, "{}", line(e))?;
        }
        f.flush()?;
        let mut q = std::io::BufWriter::new(std::fs::File::create(format!("{path}.queries"))?);
        for k in keystrokes() {
            writeln!(q, "{k}")?;
        }
        q.flush()?;
        println!("wrote {path} and {path}.queries");
    }
    Ok(())
}

fn bench(c: &mut Criterion) {
    let demo = demo();
    let big_pool = synthetic(SYNTHETIC, &demo);
    let small = ExpertIndex::new(&demo);
    let big = ExpertIndex::new(&big_pool);
    let none = Filters::default();
    for (label, index) in [("190", &small), ("100k", &big)] {
        let mut g = c.benchmark_group(format!("experts_{label}"));
        if label == "100k" {
            g.sample_size(20);
        }
        for q in ["zhangwei", "zmw", "燃气", "shan"] {
            g.bench_function(format!("type_{q}"), |b| {
                b.iter(|| {
                    let chars: Vec<char> = q.chars().collect();
                    for n in 1..=chars.len() {
                        let prefix: String = chars[..n].iter().collect();
                        black_box(index.search(&prefix, &none));
                    }
                })
            });
        }
        g.finish();
    }
    let mut g = c.benchmark_group("experts_index");
    g.sample_size(10);
    g.bench_function("build_100k", |b| {
        b.iter(|| ExpertIndex::new(black_box(&big_pool)))
    });
    g.finish();
}

criterion_group!(benches, bench);

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--keystrokes") {
        let lines = args
            .iter()
            .position(|a| a == "--fzf-lines")
            .and_then(|i| args.get(i + 1).cloned());
        if let Err(e) = keystroke_mode(lines) {
            eprintln!("experts bench: {e}");
            std::process::exit(1);
        }
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
