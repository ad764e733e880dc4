/**
 * d3-geo (under chartjs-chart-geo) reads polygons on the sphere: an exterior ring must run clockwise
 * or it encloses the rest of the globe. GeoJSON files (RFC 7946) run exteriors counter-clockwise,
 * and many files mix both, so rings are turned the way d3 reads them before drawing.
 */
type Ring = number[][];

/** Twice the planar signed area in longitude/latitude: positive when counter-clockwise. */
function signedArea(ring: Ring): number {
	let a = 0;
	for (let i = 0; i < ring.length - 1; i++) a += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
	return a;
}

function turned(ring: Ring, clockwise: boolean): Ring {
	const ccw = signedArea(ring) > 0;
	return ccw === clockwise ? [...ring].reverse() : ring;
}

export function rewindForD3(geometry: { type: string; coordinates: unknown }): {
	type: string;
	coordinates: unknown;
} {
	const polygon = (rings: Ring[]) => rings.map((r, i) => turned(r, i === 0));
	if (geometry.type === 'Polygon')
		return { type: 'Polygon', coordinates: polygon(geometry.coordinates as Ring[]) };
	if (geometry.type === 'MultiPolygon')
		return { type: 'MultiPolygon', coordinates: (geometry.coordinates as Ring[][]).map(polygon) };
	return geometry;
}
