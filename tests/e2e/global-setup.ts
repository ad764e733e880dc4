import type { TestProject } from 'vitest/node';
import { buildApp, startServer, type RunningServer } from './server';

let server: RunningServer | undefined;

export default async function setup(project: TestProject) {
	buildApp();
	server = await startServer();
	project.provide('baseUrl', server.url);
	return async () => {
		await server?.stop();
	};
}

declare module 'vitest' {
	export interface ProvidedContext {
		baseUrl: string;
	}
}
