//! CAP parsing throughput on the corpus's CAP files (tests/corpus/cap), the same files
//! `xmllint --noout` is timed on in docs/PERFORMANCE.md.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use watchroom::feeds::{self, FeedKind, ParseOptions};

fn corpus() -> Vec<Vec<u8>> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus/cap");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("tests/corpus/cap")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "xml"))
        .collect();
    files.sort();
    files.iter().filter_map(|p| std::fs::read(p).ok()).collect()
}

fn cap(c: &mut Criterion) {
    let files = corpus();
    let total: usize = files.iter().map(Vec::len).sum();
    let opts = ParseOptions::new(
        "bench",
        "2026-11-29T00:00:00Z".parse().expect("time"),
        jiff::tz::TimeZone::UTC,
    );
    let mut g = c.benchmark_group("cap");
    g.throughput(Throughput::Bytes(total as u64));
    g.bench_function("parse_corpus", |b| {
        b.iter(|| {
            for f in &files {
                let _ = black_box(feeds::parse(FeedKind::Cap, black_box(f), &opts));
            }
        })
    });
    g.finish();
}

criterion_group!(benches, cap);
criterion_main!(benches);
