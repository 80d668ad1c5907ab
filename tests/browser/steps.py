"""What a user does in the browser, in a few reusable steps."""
from __future__ import annotations

from pathlib import Path
from typing import Any


async def log_in_with_password(page: Any, username: str, password: str, landing: str) -> None:
    await page.goto("/ui/")
    await page.get_by_label("用户名").fill(username)
    await page.get_by_label("密码").fill(password)
    await page.locator("#password-form button[type=submit]").click()
    await page.wait_for_url(f"**{landing}")


async def log_in_with_token(page: Any, token: str, landing: str) -> None:
    await page.goto("/ui/")
    await page.get_by_label("访问令牌").fill(token)
    await page.locator("#token-form button[type=submit]").click()
    await page.wait_for_url(f"**{landing}")


async def more_actions(page: Any) -> None:
    """The case page folds every action but the next one: unfold the others."""
    details = page.locator("#more-actions")
    await details.wait_for()
    if await details.get_attribute("open") is None:
        await details.locator("summary").click()


async def shoot(page: Any, folder: Path, name: str) -> None:
    await page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


UNLABELLED_CONTROLS = """() => Array.from(document.querySelectorAll('input, select, textarea, button'))
  .filter(c => c.type !== 'hidden' && !c.closest('[hidden]'))
  .filter(c => !(c.labels && c.labels.length) && !c.getAttribute('aria-label') && !c.getAttribute('aria-labelledby')
               && !(c.tagName === 'BUTTON' && c.textContent.trim()))
  .map(c => c.outerHTML.slice(0, 120))"""


async def unlabelled_controls(page: Any) -> list[str]:
    return await page.evaluate(UNLABELLED_CONTROLS)  # type: ignore[no-any-return]
