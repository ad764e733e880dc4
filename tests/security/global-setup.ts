import type { TestProject } from 'vitest/node';
import { buildApp, startServer, type RunningServer } from '../e2e/server';

let server: RunningServer | undefined;

/** Builds once (unless TECHCAP_E2E_NO_BUILD=1) and starts the shared server with demo data. */
export default async function setup(project: TestProject) {
	buildApp();
	server = await startServer();
	project.provide('securityBaseUrl', server.url);
	return async () => {
		await server?.stop();
	};
}

declare module 'vitest' {
	export interface ProvidedContext {
		securityBaseUrl: string;
	}
}
