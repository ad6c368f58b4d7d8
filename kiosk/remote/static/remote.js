// The phone remote. The token comes in the address's fragment (#token=...), which the
// browser never sends to a server; it is kept in this browser's storage and sent only as
// the Authorization header to the server that served this page.
"use strict";

const POLL_MS = 1000;
const PICTURE = "480x270";
const $ = (id) => document.getElementById(id);

function takeToken() {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const token = fragment.get("token");
  if (token) {
    localStorage.setItem("kiosk-token", token);
    history.replaceState(null, "", location.pathname); // out of the address bar and history
  }
  return token || localStorage.getItem("kiosk-token") || "";
}

let token = takeToken();
let polling = null;
let shown = { slide: undefined, next: undefined, playlist: undefined };
let lastStatus = null;
let receivedAt = 0;

async function api(method, path, body) {
  const options = { method, headers: { Authorization: `Bearer ${token}` }, cache: "no-store" };
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  const response = await fetch(path, options);
  const isJson = (response.headers.get("Content-Type") || "").startsWith("application/json");
  const data = isJson ? await response.json() : await response.blob();
  if (!response.ok) {
    const error = new Error((data && data.error) || `HTTP ${response.status}`);
    error.status = response.status;
    throw error;
  }
  return data;
}

function say(text, bad) {
  const state = $("state");
  state.textContent = text;
  state.classList.toggle("bad", Boolean(bad));
}

function formatLeft(seconds) {
  if (seconds === null || seconds === undefined) return "–";
  const whole = Math.max(0, Math.ceil(seconds));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
}

async function picture(img, name, playlist) {
  if (name === null || name === undefined) {
    img.removeAttribute("src");
    return;
  }
  const blob = await api("GET", `/api/slides/${encodeURIComponent(name)}/image?size=${PICTURE}`);
  const old = img.src;
  img.src = URL.createObjectURL(blob);
  if (old.startsWith("blob:")) URL.revokeObjectURL(old);
}

function render(status) {
  const snap = status.snapshot;
  lastStatus = status;
  receivedAt = performance.now();
  $("title").textContent = status.playlist.title || "kiosk";
  $("counter").textContent = snap.position === null ? "–" : `${snap.position + 1} / ${snap.count}`;
  $("next-name").textContent = snap.next_slide === null ? "–" : String(snap.next_slide);
  const pause = $("pause");
  pause.dataset.command = snap.paused ? "resume" : "pause";
  pause.querySelector("span").textContent = snap.paused ? "继续 Resume" : "暂停 Pause";
  pause.classList.toggle("on", snap.paused);
  $("black").classList.toggle("on", snap.blacked);
  const words = [status.alert ? "紧急通知中 alert up" : null, snap.blacked ? "黑屏 black" : null,
    snap.paused ? "暂停 paused" : null, snap.ended ? "已结束 ended" : null].filter(Boolean);
  $("alert-clear").classList.toggle("on", Boolean(status.alert && status.alert.source === "api"));
  say(words.length ? words.join(" · ") : "播放中 playing", Boolean(status.alert));
  const version = status.playlist.version;
  if (shown.slide !== snap.slide || shown.playlist !== version) {
    shown.slide = snap.slide;
    picture($("current"), snap.slide).catch(() => {});
  }
  if (shown.next !== snap.next_slide || shown.playlist !== version) {
    shown.next = snap.next_slide;
    picture($("next"), snap.next_slide).catch(() => {});
  }
  shown.playlist = version;
  tickLeft();
}

function tickLeft() {
  if (!lastStatus) return;
  const snap = lastStatus.snapshot;
  let left = snap.time_left;
  if (left !== null && !snap.paused && !snap.blacked) left -= (performance.now() - receivedAt) / 1000;
  $("left").textContent = formatLeft(left);
}

async function poll() {
  try {
    render(await api("GET", "/api/status"));
  } catch (error) {
    say(error.status === 401 ? "令牌无效, 请重新扫码 Token refused: scan the code again" : `离线 offline: ${error.message}`, true);
  }
}

async function command(name) {
  try {
    const result = await api("POST", "/api/command", { command: name });
    render({ ...lastStatus, snapshot: { ...result.snapshot } });
  } catch (error) {
    say(`${name}: ${error.message}`, true);
  }
}

function alertBody(form) {
  const data = new FormData(form);
  const body = {
    message: data.get("message"),
    priority: data.get("priority"),
    seconds: Math.round(Number(data.get("minutes")) * 60),
  };
  if (data.get("title")) body.title = data.get("title");
  return body;
}

async function sendAlert(event) {
  event.preventDefault();
  try {
    await api("POST", "/api/alert", alertBody(event.target));
    $("alert-result").textContent = "已发布 shown";
  } catch (error) {
    $("alert-result").textContent = `未发布 not shown: ${error.message}`;
  }
}

async function clearAlert() {
  try {
    await api("DELETE", "/api/alert");
    $("alert-result").textContent = "已撤下 cleared";
  } catch (error) {
    $("alert-result").textContent = `${error.message}`;
  }
}

for (const button of document.querySelectorAll("[data-command]")) {
  button.addEventListener("click", () => command(button.dataset.command));
}
$("alert-form").addEventListener("submit", sendAlert);
$("alert-clear").addEventListener("click", clearAlert);
function start() {
  if (!token) {
    say("没有令牌: 请扫描屏幕帮助页上的二维码 No token: scan the code on the help screen", true);
    return;
  }
  poll();
  if (polling === null) polling = setInterval(poll, POLL_MS);
}

// The code scanned again while the page is open (a new token): only the fragment changes.
window.addEventListener("hashchange", () => {
  token = takeToken();
  start();
});
setInterval(tickLeft, 250);
start();
