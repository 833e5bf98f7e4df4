#[test]
fn sizes() {
    println!("Alert {}", std::mem::size_of::<watchroom::model::Alert>());
}
