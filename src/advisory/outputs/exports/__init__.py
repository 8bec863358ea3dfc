"""What officers pass on, read from the Assessment alone: an Excel workbook (`xlsx`), a brief
for a WhatsApp or Signal message (`brief`), and map layers for QGIS and Google Earth
(`geojson`, `kml`). Each module reads only the typed `Assessment` (never the run or the rule
pack), so the desk can write them from a stored assessment as well.
"""
