import type { vi } from './geo.vi';

export const en: Record<keyof typeof vi, string> = {
	'geo.title': 'Ward boundaries',
	'geo.intro':
		'Upload the boundaries of the province\'s wards and communes (a GeoJSON FeatureCollection or TopoJSON, WGS 84 coordinates, at most {mb} MB). Each feature is matched to a ward of the enterprise register by its "ward"/"code" property (the register\'s code) or its "name". The gap map and the sector database\'s ward map use the newest version.',
	'geo.file': 'Boundary file (.geojson, .json, .topojson)',
	'geo.submit': 'Check and save',
	'geo.missingFile': 'Choose a boundary file.',
	'geo.refused': 'The file was refused; nothing was saved:',
	'geo.saved': 'Version {v} saved: {n} wards have a boundary.',
	'geo.unmatched': 'Features matching no ward of the register (not saved)',
	'geo.feature': 'Feature {n}',
	'geo.missing': 'Register wards without a boundary',
	'geo.versions': 'Uploaded versions',
	'geo.version': 'Version',
	'geo.uploadedAt': 'Uploaded',
	'geo.fileName': 'File',
	'geo.none': 'No boundaries yet: the gap map shows tables only.',
	'geo.map.noBoundaries': 'No ward boundaries have been uploaded, so the figures are shown as a table only.',
	'geo.map.upload': 'Upload ward boundaries',
	'geo.map.hatched': 'Grey hatching: withheld (:c) or no figures.',
	'geo.map.caption': 'Map by ward/commune: {what}'
};
