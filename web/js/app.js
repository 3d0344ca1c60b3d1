// app.js — the one script of every page. Each HTML page under web/ is the
// same few lines naming its view with <body data-page="NAME">; this imports
// pages/NAME.js and hands it to mount() (mount.js), which builds the shell,
// checks the session and starts the page.
//
// Adding a page = a copy of an HTML page with its data-page, a module under
// pages/ exporting `page`, its strings in strings/*.js (docs/web.md).
//
// Must never depend on: anything but mount.js and the page modules.

import { mount } from './mount.js';

const name = document.body.dataset.page ?? '';
mount(/^[a-z]+$/.test(name)
    ? import(`./pages/${name}.js`)
    : Promise.reject(new Error(`bad page name "${name}" in <body data-page>`)));
