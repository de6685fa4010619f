//! Issue 20's desk on a web page, over HTTP as a browser speaks it: the server runs in this process
//! on `127.0.0.1:0` over the journal of two generated submissions read by `kyufu run --once` (seed
//! 14: one paid, one asked to mend). A logged-out request gets the login page; a form without its
//! CSRF token, or from another origin, is refused; staff cannot open the audit log; an approver
//! cannot approve what they drafted; impossible corrections (令和99年, a negative amount, control
//! characters, 10 MB) get a Japanese message and change nothing. `browser.rs` does the same story in
//! Chromium.

mod browser;
pub(crate) mod http;

use std::fs;
use std::path::{Path, PathBuf};

use kyufu::config::Config;
use kyufu::serve::Server;

use super::review::{json, ok, spawn};
use super::{generate, kyufu, run_once, scratch};
use http::{text_of, Client};

/// `kyufu user add` for the desk's users: root (admin), sato (staff), tanaka and suzuki (approvers).
pub(crate) fn users(dir: &Path) {
    let add = |args: &[&str], stdin: &str| {
        ok(
            &spawn(dir, "kyufu-test.toml", args, stdin, &[])
                .wait_with_output()
                .unwrap(),
            "user add",
        )
    };
    add(
        &["user", "add", "root", "--role", "admin", "--password-stdin"],
        "root-pass-1\n",
    );
    for (name, role) in [
        ("sato", "staff"),
        ("tanaka", "approver"),
        ("suzuki", "approver"),
    ] {
        add(
            &[
                "user",
                "add",
                name,
                "--role",
                role,
                "--password-stdin",
                "--as",
                "root",
            ],
            &format!("root-pass-1\n{name}-pass-1\n"),
        );
    }
}

pub(crate) fn pass(user: &str) -> String {
    format!("{user}-pass-1")
}

/// The configuration of a test folder, its folders set as `kyufu --inbox … --state …` sets them.
pub(crate) fn config(dir: &Path) -> Config {
    let mut cfg = Config::load(Some(&dir.join("kyufu-test.toml"))).unwrap();
    cfg.inbox = dir.join("inbox");
    cfg.outbox = dir.join("outbox");
    cfg.state = dir.join("state");
    cfg
}

/// The case folders kyufu paid and asked to mend.
fn cases(dir: &Path) -> (PathBuf, PathBuf) {
    let mut pay = None;
    let mut incomplete = None;
    for e in fs::read_dir(dir.join("outbox")).unwrap().flatten() {
        let d = json(&e.path().join("decision.json"));
        match d["outcome"].as_str().unwrap() {
            "pay" => pay = Some(e.path()),
            "incomplete" => incomplete = Some(e.path()),
            _ => {}
        }
    }
    (
        pay.expect("a paid case"),
        incomplete.expect("a case to mend"),
    )
}

fn id(case_dir: &Path) -> String {
    case_dir.file_name().unwrap().to_string_lossy().into_owned()
}

fn receipt_file(case_dir: &Path) -> String {
    let docs = json(&case_dir.join("documents.json"));
    docs.as_array()
        .unwrap()
        .iter()
        .find(|d| d["doc"]["kind"] == "receipt")
        .expect("a receipt")["file"]
        .as_str()
        .unwrap()
        .to_string()
}

fn corrections(dir: &Path, case: &str) -> usize {
    let out = ok(&kyufu(dir, &["review", "show", case, "--json"]), "show");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    v["corrections"].as_array().unwrap().len()
}

#[test]
fn the_desk_over_http_refuses_what_the_rules_refuse_and_changes_nothing() {
    let dir = scratch("serve-http");
    generate(&dir, 2, 14);
    run_once(&dir, "");
    users(&dir);
    let (paid, mended) = cases(&dir);
    let (paid_id, mended_id) = (id(&paid), id(&mended));
    let server = Server::start(config(&dir), "127.0.0.1:0").unwrap();
    let addr = server.addr;

    // Logged out: every page leads to the login page; only the login page and htmx are open.
    let mut anon = Client::new(addr);
    for path in ["/", "/cases", &format!("/cases/{paid_id}"), "/audit"] {
        let r = anon.get(path);
        assert_eq!(
            (r.status, r.header("location")),
            (303, Some("/login")),
            "{path}"
        );
    }
    let r = anon.get(&format!("/cases/{paid_id}/docs/0/pages/1"));
    assert_eq!(r.status, 303, "a page image needs a session too");
    let r = anon.get("/login");
    assert_eq!(r.status, 200);
    assert!(r.body.contains("ログイン") && r.body.contains("パスワード"));
    let cookie = r.header("set-cookie").unwrap_or_default().to_string();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let htmx = anon.get("/static/htmx.min.js");
    assert_eq!(htmx.status, 200);
    assert_eq!(
        kyufu::run::files::sha256_hex(htmx.body.as_bytes()),
        kyufu::serve::assets::HTMX_SHA256
    );

    // A wrong password is refused in Japanese; the login form without its token is refused.
    let r = anon.login("sato", "not-the-password");
    assert_eq!(r.status, 401);
    assert!(
        r.body.contains("パスワードが正しくありません"),
        "{}",
        r.body
    );
    let r = Client::new(addr).post_raw(
        "/login",
        http::form(&[("user", "sato"), ("password", &pass("sato"))]).as_bytes(),
        Some(format!("http://{addr}")),
    );
    assert_eq!(r.status, 403, "a login without the form's token");

    let mut sato = Client::new(addr);
    let r = sato.login("sato", &pass("sato"));
    assert_eq!(
        (r.status, r.header("location")),
        (303, Some("/")),
        "{}",
        r.body
    );
    let session = r.header("set-cookie").unwrap_or_default().to_string();
    assert!(
        session.starts_with("kyufu_session=")
            && session.contains("HttpOnly")
            && session.contains("SameSite=Strict"),
        "{session}"
    );
    let queue = sato.get("/");
    assert_eq!(queue.status, 200);
    assert!(
        queue.body.contains("補正依頼 1件") && queue.body.contains("支給案 1件"),
        "{}",
        queue.body
    );
    let filtered = sato.get("/cases?state=incomplete");
    assert!(filtered.body.contains(&mended_id) && !filtered.body.contains(&format!(">{paid_id}<")));

    // Staff cannot open the audit log.
    let r = sato.get("/audit");
    assert_eq!(r.status, 403);
    assert!(r.body.contains("管理者だけ"), "{}", r.body);

    // Forms without the session's token, or from another origin, change nothing.
    let file = receipt_file(&mended);
    let decision = fs::read(mended.join("decision.json")).unwrap();
    let target = format!("{file}#seal_present");
    let fields = [
        ("target", target.as_str()),
        ("value", "あり"),
        ("reason", "原本確認"),
    ];
    let url = format!("/cases/{mended_id}/correct");
    let r = sato.post_raw(
        &url,
        http::form(&fields).as_bytes(),
        Some(format!("http://{addr}")),
    );
    assert_eq!(r.status, 403, "no CSRF token");
    assert!(r.body.contains("画面を開き直して"), "{}", r.body);
    let mut with_token = vec![("csrf", sato.csrf.as_str())];
    with_token.extend_from_slice(&fields);
    let body = http::form(&with_token);
    let r = sato.post_raw(&url, body.as_bytes(), Some("http://evil.example".into()));
    assert_eq!(r.status, 403, "another origin");
    let r = sato.post_raw(&url, body.as_bytes(), None);
    assert_eq!(r.status, 403, "neither Origin nor Referer");
    assert_eq!(fs::read(mended.join("decision.json")).unwrap(), decision);

    // Impossible corrections: a Japanese reason on the case page, and nothing changed.
    sato.get(&format!("/cases/{mended_id}"));
    for (field, value, says) in [
        ("issued_on", "令和99年1月1日", "ありえない日付"),
        ("amount_total", "-5000", "負の金額"),
        ("payer_name", "山田\u{7}花子", "制御文字"),
        ("issuer_name", &"a".repeat(10_000), "長すぎます"),
    ] {
        let target = format!("{file}#{field}");
        let r = sato.post(
            &url,
            &[
                ("target", &target),
                ("value", value),
                ("reason", "原本確認"),
            ],
        );
        assert_eq!(r.status, 422, "{field}: {}", r.body);
        assert!(
            text_of(&r.body, "error").is_some_and(|e| e.contains(says)),
            "{field}: expected 「{says}」"
        );
    }
    let huge = "a".repeat(10 * 1024 * 1024);
    let target = format!("{file}#issuer_name");
    let r = sato.post(
        &url,
        &[("target", &target), ("value", &huge), ("reason", "x")],
    );
    assert_eq!(r.status, 413);
    assert!(r.body.contains("大きすぎます"), "{}", r.body);
    assert_eq!(fs::read(mended.join("decision.json")).unwrap(), decision);
    assert_eq!(corrections(&dir, &mended_id), 0);

    // A real correction: the seal was there. The case is decided again at once; "save and next"
    // goes on to the other case.
    let r = sato.post(
        &url,
        &[
            ("target", &format!("{file}#seal_present")),
            ("value", "あり"),
            ("reason", "領収印あり（原本確認）"),
            ("n", "0"),
            ("then", "next"),
        ],
    );
    let next = format!("/cases/{paid_id}");
    assert_eq!(
        (r.status, r.header("location")),
        (303, Some(next.as_str())),
        "saved, and on to the next case (Ctrl+Enter): {}",
        r.body
    );
    let page = sato.get(&format!("/cases/{mended_id}"));
    let flash = text_of(&page.body, "flash").unwrap_or_default();
    assert!(
        flash.contains("補正依頼 金0円 → 支給"),
        "before → after: {flash}"
    );
    assert_eq!(json(&mended.join("decision.json"))["outcome"], "pay");
    assert_eq!(corrections(&dir, &mended_id), 1);

    // An approver who drafts a case cannot approve it; another approver does.
    let mut tanaka = Client::new(addr);
    tanaka.login("tanaka", &pass("tanaka"));
    tanaka.get(&format!("/cases/{paid_id}"));
    let r = tanaka.post(&format!("/cases/{paid_id}/submit"), &[]);
    assert_eq!(r.status, 303, "{}", r.body);
    let r = tanaka.post(&format!("/cases/{paid_id}/approve"), &[]);
    assert_eq!(r.status, 422);
    assert!(
        text_of(&r.body, "error")
            .is_some_and(|e| e.contains("起案した人はその案件を決裁できません")),
        "{}",
        r.body
    );
    let r = sato.post(&format!("/cases/{paid_id}/approve"), &[]);
    assert_eq!(r.status, 422, "staff do not approve");
    let mut suzuki = Client::new(addr);
    suzuki.login("suzuki", &pass("suzuki"));
    suzuki.get(&format!("/cases/{paid_id}"));
    let r = suzuki.post(&format!("/cases/{paid_id}/approve"), &[]);
    assert_eq!(r.status, 303, "{}", r.body);
    let page = suzuki.get(&format!("/cases/{paid_id}"));
    assert!(
        text_of(&page.body, "flash").is_some_and(|f| f.contains("さ子支第1号")),
        "{}",
        page.body
    );
    let d = json(&paid.join("decision.json"));
    assert_eq!(d["status"], "approved");
    assert_eq!(
        (d["drafted_by"].as_str(), d["approved_by"].as_str()),
        (Some("tanaka"), Some("suzuki"))
    );
    let pdf = suzuki.get(&format!("/cases/{paid_id}/final/notice.pdf"));
    assert_eq!(pdf.header("content-type"), Some("application/pdf"));

    // The admin reads the audit log, its chain whole; logging out ends the session.
    let mut root = Client::new(addr);
    root.login("root", &pass("root"));
    let audit = root.get("/audit");
    assert_eq!(audit.status, 200);
    assert!(
        text_of(&audit.body, "verified").is_some_and(|v| v.contains("途切れていません")),
        "{}",
        audit.body
    );
    assert!(audit.body.contains("approved") && audit.body.contains("corrected"));
    let r = sato.post("/logout", &[]);
    assert_eq!((r.status, r.header("location")), (303, Some("/login")));
    assert_eq!(sato.get("/").status, 303, "the session is gone");
    drop(server);
}
