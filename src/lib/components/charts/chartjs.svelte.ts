/**
 * The one Chart.js lifecycle every chart component shares, as a Svelte action: the chart is made once
 * when Chart.js has loaded (a dynamic import keeps it out of pages without charts), later parameter
 * changes (a new filter by client-side navigation) update it in place, and it is destroyed with the
 * canvas. The canvas carries what it draws as data attributes (labels, values) so a browser test can
 * compare the chart with the page's table without reading pixels.
 */
import type { ActionReturn } from 'svelte/action';

export interface ChartDataLike {
	labels?: unknown[];
	datasets: Array<{ data: unknown[] } & Record<string, unknown>>;
}

export interface ChartParams {
	type: string;
	data: ChartDataLike;
	/** Passed as they are (they may hold callbacks); read once, when the chart is made. */
	options?: Record<string, unknown>;
	/** Controllers, elements and scales from other packages (e.g. maps), loaded with Chart.js. */
	plugins?: () => Promise<unknown[]>;
}

type ChartInstance = { data: unknown; update(mode?: string): void; destroy(): void };

/** Chart.js mutates the data it is given (metadata on datasets): it gets a plain copy, never the page's state. */
function plain(data: ChartDataLike): ChartDataLike {
	return $state.snapshot(data) as ChartDataLike;
}

function mark(canvas: HTMLCanvasElement, data: ChartDataLike): void {
	canvas.dataset.labels = JSON.stringify(data.labels ?? []);
	// Map points are {feature, value}: the value is what the chart shows.
	const shown = (v: unknown) => (v !== null && typeof v === 'object' && 'value' in v ? v.value : v);
	canvas.dataset.values = JSON.stringify(data.datasets.map((d) => d.data.map(shown)));
}

export function chartjs(canvas: HTMLCanvasElement, params: ChartParams): ActionReturn<ChartParams> {
	let latest = params;
	let chart: ChartInstance | null = null;
	let destroyed = false;

	(async () => {
		const [{ Chart, registerables }, extra] = await Promise.all([
			import('chart.js'),
			latest.plugins?.() ?? Promise.resolve([])
		]);
		if (destroyed) return;
		Chart.register(...registerables, ...(extra as never[]));
		const data = plain(latest.data);
		chart = new Chart(canvas, {
			type: latest.type as never,
			data: data as never,
			options: { animation: false, responsive: true, ...latest.options } as never
		}) as unknown as ChartInstance;
		mark(canvas, data);
		canvas.dataset.rendered = 'true';
	})().catch((e: unknown) => {
		// The table beside every chart still shows the figures; say why the drawing is missing.
		canvas.dataset.failed = 'true';
		console.error('chart could not be drawn', e);
	});

	return {
		update(next) {
			latest = next;
			if (!chart) return;
			const data = plain(next.data);
			chart.data = data;
			chart.update('none');
			mark(canvas, data);
		},
		destroy() {
			destroyed = true;
			chart?.destroy();
			chart = null;
		}
	};
}
