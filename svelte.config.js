import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		// Separate output folders let several builds (e.g. parallel test runs) coexist.
		adapter: adapter({ out: process.env.TECHCAP_BUILD_DIR ?? 'build' }),
		outDir: process.env.TECHCAP_KIT_OUT ?? '.svelte-kit',
		// Absolute asset paths: a page rendered for another address (the styled 403 the central
		// check serves for any refused path, see hooks.server.ts) still finds its styles and scripts.
		paths: { relative: false },
		// Survey pages and Chart.js run from bundled scripts only; inline styles are needed by SurveyJS.
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:'],
				'font-src': ['self', 'data:'],
				'connect-src': ['self'],
				'frame-ancestors': ['none'],
				'form-action': ['self'],
				'base-uri': ['self'],
				'object-src': ['none']
			}
		}
	}
};

export default config;
