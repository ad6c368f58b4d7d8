"""The phone remote in a real browser: Debian's headless Chromium, driven by Selenium
through chromium-driver, at a phone's 390x844, against kiosk running as its own process
under Xvfb. Tapping Next moves the wall; the token comes from the address's fragment and
never reaches the server in a URL."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.e2e.xvfb import close_to, screenshot, wait_for, xvfb

from .helpers import COLORS, write_show
from .process import KioskProcess, kiosk_with_remote

pytestmark = pytest.mark.e2e

SHOW = "title: 向人民报告\ndefaults: {duration: 60s, transition: none}\nslides:\n" + "".join(
    f"  - {{type: title, title: 第{n + 1}张, id: s{n + 1}, background: '{color}'}}\n" for n, color in enumerate(COLORS)
)
PHONE = (390, 844)


@pytest.fixture
def browser() -> Iterator[webdriver.Chrome]:
    binary, driver = shutil.which("chromium"), shutil.which("chromedriver")
    assert binary and driver, "chromium and chromium-driver are missing: run tools/system-deps.sh test"
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     f"--window-size={PHONE[0]},{PHONE[1]}", "--force-device-scale-factor=1", "--lang=zh-CN"):
        options.add_argument(argument)
    chrome = webdriver.Chrome(service=Service(driver), options=options)
    try:
        # the page's own viewport at a phone's size (a window's size would include its frame)
        chrome.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": PHONE[0], "height": PHONE[1], "deviceScaleFactor": 1, "mobile": True})
        yield chrome
    finally:
        chrome.quit()


@pytest.fixture
def kiosk(tmp_path: Path) -> Iterator[tuple[str, KioskProcess]]:
    playlist = write_show(tmp_path / "show", SHOW)
    with xvfb(1280, 720) as display, kiosk_with_remote(display, playlist, tmp_path / "state") as process:
        yield display, process


def text_of(browser: webdriver.Chrome, element_id: str) -> str:
    return browser.find_element(By.ID, element_id).text


def test_tapping_next_on_the_phone_moves_the_wall(browser, kiosk, tmp_path: Path) -> None:
    display, process = kiosk
    browser.get(f"http://127.0.0.1:{process.port}/#token={process.token}")
    wait = WebDriverWait(browser, 20)
    wait.until(lambda b: text_of(b, "counter") == "1 / 4")
    assert "#token" not in browser.current_url  # out of the address bar once read
    wait.until(lambda b: b.execute_script(
        "const i = document.getElementById('current'); return i.complete && i.naturalWidth > 0"))
    browser.find_element(By.ID, "next-button").click()
    wait.until(lambda b: text_of(b, "counter") == "2 / 4")
    assert process.call("GET", "/api/status").json["snapshot"]["position"] == 1
    wait_for(lambda: close_to(screenshot(display, tmp_path / "wall.png").pixelColor(40, 360), COLORS[1]),
             message="the wall's second slide after tapping Next")
    browser.find_element(By.ID, "pause").click()
    wait.until(lambda b: "Resume" in text_of(b, "pause"))
    assert process.call("GET", "/api/status").json["snapshot"]["paused"] is True
    browser.find_element(By.ID, "pause").click()  # now it resumes
    wait.until(lambda b: "Pause" in text_of(b, "pause"))
    assert process.call("GET", "/api/status").json["snapshot"]["paused"] is False
    wait.until(lambda b: b.execute_script(
        "const i = document.getElementById('next'); return i.complete && i.naturalWidth > 0"))
    assert browser.execute_script("return document.body.scrollWidth") <= PHONE[0]  # nothing sideways
    browser.save_screenshot(str(tmp_path / "phone-390x844.png"))
    browser.find_element(By.CSS_SELECTOR, "#alert-box summary").click()
    browser.save_screenshot(str(tmp_path / "phone-alert-form.png"))


def test_a_page_reloaded_later_keeps_its_token_and_a_wrong_one_says_so(browser, kiosk) -> None:
    _, process = kiosk
    browser.get(f"http://127.0.0.1:{process.port}/#token={process.token}")
    wait = WebDriverWait(browser, 20)
    wait.until(lambda b: text_of(b, "counter") == "1 / 4")
    browser.get(f"http://127.0.0.1:{process.port}/")  # a bookmark without the fragment
    wait.until(lambda b: text_of(b, "counter") == "1 / 4")
    browser.get(f"http://127.0.0.1:{process.port}/#token=not-the-token-at-all")
    wait.until(lambda b: "Token refused" in text_of(b, "state"))


def test_the_alert_form_puts_an_alert_on_the_wall_and_clears_it(browser, kiosk, tmp_path: Path) -> None:
    display, process = kiosk
    process.call("POST", "/api/command", body={"command": "goto", "argument": "s2"})  # green: unlike the red band

    def wall_is(color: str) -> bool:
        return close_to(screenshot(display, tmp_path / "wall.png").pixelColor(40, 360), color)

    wait_for(lambda: wall_is(COLORS[1]), message="the green slide")
    browser.get(f"http://127.0.0.1:{process.port}/#token={process.token}")
    wait = WebDriverWait(browser, 20)
    wait.until(lambda b: text_of(b, "counter") == "2 / 4")
    browser.find_element(By.CSS_SELECTOR, "#alert-box summary").click()
    browser.find_element(By.NAME, "title").send_keys("紧急寻人")
    browser.find_element(By.NAME, "message").send_keys("红衣男孩, 5岁, 请到服务台")
    browser.find_element(By.ID, "alert-send").click()
    wait.until(lambda b: "shown" in text_of(b, "alert-result"))
    wait_for(lambda: not wall_is(COLORS[1]), message="the alert over the wall")
    wait.until(lambda b: "alert up" in text_of(b, "state"))  # the page says what the wall shows
    browser.save_screenshot(str(tmp_path / "phone-alert-sent.png"))
    browser.find_element(By.ID, "alert-clear").click()
    wait.until(lambda b: "cleared" in text_of(b, "alert-result"))
    wait_for(lambda: wall_is(COLORS[1]), message="the slide back after clearing the alert")
    wait.until(lambda b: "alert up" not in text_of(b, "state"))
    browser.find_element(By.ID, "alert-clear").click()  # nothing left to clear: said, not hidden
    wait.until(lambda b: "no alert" in text_of(b, "alert-result"))
