/** Ward boundaries and the choropleth maps of the gap map and the analyst's ward view. */
export const vi = {
	'geo.title': 'Ranh giới phường/xã',
	'geo.intro':
		'Tải lên ranh giới các phường/xã của tỉnh (GeoJSON FeatureCollection hoặc TopoJSON, toạ độ WGS 84, tối đa {mb} MB). Mỗi đối tượng được khớp với phường/xã trong danh bạ doanh nghiệp theo thuộc tính "ward"/"code" (mã trong danh bạ) hoặc "name" (tên). Bản đồ khoảng cách và bản đồ theo phường/xã của cơ sở dữ liệu ngành dùng phiên bản mới nhất.',
	'geo.file': 'Tệp ranh giới (.geojson, .json, .topojson)',
	'geo.submit': 'Kiểm tra và lưu',
	'geo.missingFile': 'Hãy chọn một tệp ranh giới.',
	'geo.refused': 'Tệp bị từ chối, chưa lưu gì:',
	'geo.saved': 'Đã lưu phiên bản {v}: {n} phường/xã có ranh giới.',
	'geo.unmatched': 'Đối tượng không khớp phường/xã nào trong danh bạ (không lưu)',
	'geo.feature': 'Đối tượng {n}',
	'geo.missing': 'Phường/xã trong danh bạ chưa có ranh giới',
	'geo.versions': 'Các phiên bản đã tải lên',
	'geo.version': 'Phiên bản',
	'geo.uploadedAt': 'Thời điểm',
	'geo.fileName': 'Tệp',
	'geo.none': 'Chưa có ranh giới nào: bản đồ khoảng cách chỉ hiển thị dạng bảng.',
	'geo.map.noBoundaries': 'Chưa có ranh giới phường/xã nên chỉ có bảng số liệu.',
	'geo.map.upload': 'Tải lên ranh giới phường/xã',
	'geo.map.hatched': 'Gạch chéo xám: số liệu bị ẩn (:c) hoặc không có số liệu.',
	'geo.map.caption': 'Bản đồ theo phường/xã: {what}'
} as const;
