// pages/login.js — the login form: POST /api/v1/session, then the home page
// with what waits for the visitor (or the in-site page named by ?next=).
//
// Failures show the server's own message in the form's error box: 401
// login_failed ("用户名或密码错误 / wrong username or password") and 429
// login_throttled, where the Retry-After seconds count down on screen and the
// button stays disabled until they have passed.
//
// Must never depend on: other page modules; never writes API data as HTML.

import { t, onLangChange, pickBilingual } from '../i18n.js';
import { el } from '../dom.js';
import { login } from '../session.js';
import { createForm } from '../form.js';
import { showReady, safeNext, param } from '../view.js';

const AFTER_LOGIN = '/';

export const page = {
    title: 'title.login',
    session: false,
    start(_view, { session, main }) {
        const next = safeNext(param('next'), AFTER_LOGIN);
        if (session) {
            // Already logged in: nothing to do here.
            window.location.replace(next);
            return;
        }
        const view = el('div', { testid: 'login-view', dataset: { state: 'loading' } });
        main.append(el('section', { class: 'card card--wide card--narrow', 'aria-labelledby': 'login-heading' },
            el('h2', { id: 'login-heading', 'data-i18n': 'login.heading' }, t('login.heading')),
            view));
        const f = loginForm(next);
        const hint = el('p', { class: 'muted form-note', testid: 'login-hint' });
        const relabel = () => {
            f.relabel();
            hint.textContent = t('login.hint');
            f.throttle.tick();
        };
        relabel();
        onLangChange(relabel);
        showReady(view, f.form, hint);
        f.input('username').focus();
    },
};

// The form: username and password; a refusal goes to the form's error box,
// a 429 starts the Retry-After countdown. Returns the form controller with
// its throttle.
function loginForm(next) {
    const f = createForm({
        id: 'login-form',
        testid: 'login',
        fields: [
            { name: 'username', label: () => t('login.username'), autocomplete: 'username', required: true, wide: true },
            { name: 'password', label: () => t('login.password'), type: 'password', autocomplete: 'current-password', required: true, wide: true },
        ],
        submitLabel: () => t('login.submit'),
        async onSubmit(v) {
            const username = v.username.trim();
            if (!username || !v.password) {
                throw { text: () => t('login.missing'), field: null };
            }
            try {
                await login(username, v.password);
            } catch (err) {
                f.input('password').value = '';
                if (err?.code === 'login_throttled' || err?.status === 429) f.throttle.start(err.retryAfter);
                // The message is about the pair, not one field: form-level box.
                throw { message: err.message, text: () => pickBilingual(err.message), field: null };
            }
            window.location.assign(next);
            // Keep the button disabled while the next page loads.
            await new Promise(() => {});
        },
    });
    f.form.classList.add('form--single');
    f.throttle = throttleCountdown(f);
    f.form.insertBefore(f.throttle.node, f.form.querySelector('.form__actions'));
    return f;
}

// The "retry in N seconds" line of a throttled login: start(seconds) blocks
// the form's button and counts down once a second; tick() repaints.
function throttleCountdown(f) {
    let throttle = null; // {until: ms, timer}
    const retry = el('p', { class: 'muted', testid: 'login-retry', 'aria-live': 'polite', hidden: true });
    const stop = () => {
        if (throttle?.timer) clearInterval(throttle.timer);
        throttle = null;
        retry.hidden = true;
        f.setBlocked(false);
    };
    const tick = () => {
        if (!throttle) return;
        const left = Math.max(0, Math.ceil((throttle.until - Date.now()) / 1000));
        retry.dataset.seconds = String(left);
        if (left === 0) {
            stop();
            return;
        }
        retry.hidden = false;
        retry.textContent = left >= 60
            ? t('login.retryAfterMin', { minutes: Math.floor(left / 60), seconds: left % 60 })
            : t('login.retryAfter', { seconds: left });
    };
    const start = (seconds) => {
        const s = Number.isFinite(seconds) && seconds > 0 ? seconds : null;
        stop();
        if (s === null) return;
        f.setBlocked(true);
        throttle = { until: Date.now() + s * 1000, timer: setInterval(tick, 1000) };
        tick();
    };
    return { node: retry, start, tick };
}
