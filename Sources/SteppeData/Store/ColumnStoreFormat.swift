/// The layout of a Steppe column store on disk, version 1: an HDF5 file, so that h5py,
/// R's hdf5r and HDFView read it as they read any other.
///
/// ```
/// /                            the root group
///   @steppe_store_version        int32 scalar: 1, this layout
///   @steppe_version              string scalar: the version of steppe that wrote it
///   @rows                        int64 scalar: the number of rows, written last, so a
///                                store without it was never finished
///   column_names                 string[columns]: the columns' names, in column order
///   column_kinds                 string[columns]: "numeric", "boolean" or "text", likewise
///   columns/0, columns/1, …      column j, a 1-D dataset of `rows` values:
///                                  numeric  float64 (IEEE, little-endian), NaN missing
///                                  boolean  int8: 1 true, 0 false, −1 missing
///                                  text     int32 codes into levels/j (from 0), −1 missing
///     @name, @kind                 the column's name and kind, again, for one dataset alone
///   levels/j                     text column j's levels: string[levels], code c is level c,
///                                in order of first appearance in the rows
/// ```
///
/// Strings are variable-length UTF-8. Datasets are named by position, not by the
/// column's name, because a name may hold `/` (a path separator in HDF5) or `.`; the
/// names are data (`column_names`), read back exactly.
///
/// The column datasets are chunked by `ColumnStore.defaultChunkRows` (65,536) rows,
/// extensible (so a writer appends as rows arrive) and not compressed: a range of a
/// million rows of one numeric column is 8 MB read straight from the disk or the page
/// cache, where deflate would make reading cost far more than the fit's arithmetic on
/// it. A chunk of 65,536 float64 values is 512 KiB, inside HDF5's default chunk cache of
/// 1 MiB, and a range aligned on chunks reads whole chunks only. A store of fewer rows
/// than one chunk has one chunk of its own length. The fill value (what rows never
/// written read as) is the kind's missing value.
///
/// In h5py:
/// ```python
/// f = h5py.File("store.h5", "r")
/// names = list(f["column_names"].asstr()[...])
/// y = f["columns/0"][...]                    # float64, NaN missing
/// region = f["levels/2"].asstr()[...][f["columns/2"][...]]   # codes −1 are missing: mask them first
/// ```
/// In R: `hdf5r::H5File$new("store.h5", "r")[["columns/0"]][]` (codes are 0-based).
enum ColumnStoreFormat {
    /// The layout's version, `@steppe_store_version`: a reader refuses any other, naming both.
    static let version: Int64 = 1

    static let storeVersionAttribute = "steppe_store_version"
    static let steppeVersionAttribute = "steppe_version"
    static let rowsAttribute = "rows"
    static let namesDataset = "column_names"
    static let kindsDataset = "column_kinds"
    static let columnsGroup = "columns"
    static let levelsGroup = "levels"
    static let nameAttribute = "name"
    static let kindAttribute = "kind"

    /// The dataset of column `j` inside `columns/` (and of its levels inside `levels/`).
    static func datasetName(_ j: Int) -> String { String(j) }
}

extension ColumnStore {
    /// Rows per chunk of a column dataset: 65,536 (see `ColumnStoreFormat`).
    public static let defaultChunkRows = 65_536
    /// The store layout this version of SteppeData writes and reads.
    public static let formatVersion = Int(ColumnStoreFormat.version)
}
