#if canImport(Glibc)
import Glibc
#endif
internal import CHDF5

/// The few HDF5 operations the column store is made of: scalar attributes, 1-D datasets
/// of variable-length UTF-8 strings, and the innermost error message. Every function is
/// called with `HDF5Lock` held and closes every identifier it opens before it returns;
/// those it returns (`hid_t`) the caller closes.
///
/// Failures come back as `nil` or `false`, never as a trap: the callers turn them into
/// one-line errors naming the file.
enum H5 {
    static var defaultList: hid_t { steppe_H5P_DEFAULT() }

    /// The innermost message on HDF5's error stack (what the library found: "truncated
    /// file: eof = …", "file signature not found"), or "" when there is none.
    static func lastError() -> String {
        var buffer = [CChar](repeating: 0, count: 512)
        buffer.withUnsafeMutableBufferPointer { steppe_H5_error_message($0.baseAddress!, $0.count) }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// What went wrong in the call that just failed: the system's reason when it set
    /// `errno` (no such directory, no space left), else HDF5's innermost message.
    static func reason() -> String {
        let code = errno
        let hdf5 = lastError()
        let system = code != 0 ? String(cString: strerror(code)) : ""
        if !system.isEmpty { return system }
        return hdf5.isEmpty ? "HDF5 failed" : "HDF5: \(hdf5)"
    }

    /// A new variable-length UTF-8 string type (the caller closes it).
    static func stringType() -> hid_t {
        let t = H5Tcopy(steppe_H5T_C_S1())
        guard t >= 0 else { return t }
        if H5Tset_size(t, steppe_H5T_VARIABLE()) < 0 || H5Tset_cset(t, H5T_CSET_UTF8) < 0 {
            H5Tclose(t)
            return -1
        }
        return t
    }

    /// Whether `object` has an attribute `name` (false also when HDF5 cannot tell).
    static func hasAttribute(_ object: hid_t, _ name: String) -> Bool {
        H5Aexists(object, name) > 0
    }

    /// Whether `location` has a link (a group or dataset) `name`.
    static func hasLink(_ location: hid_t, _ name: String) -> Bool {
        H5Lexists(location, name, defaultList) > 0
    }

    /// Writes the scalar attribute `name` = `value` (stored as `fileType`, an integer type).
    static func writeAttribute(_ object: hid_t, _ name: String, _ value: Int64, fileType: hid_t) -> Bool {
        let space = H5Screate(H5S_SCALAR)
        guard space >= 0 else { return false }
        defer { H5Sclose(space) }
        let attribute = H5Acreate2(object, name, fileType, space, defaultList, defaultList)
        guard attribute >= 0 else { return false }
        defer { H5Aclose(attribute) }
        var v = value
        return H5Awrite(attribute, steppe_H5T_NATIVE_INT64(), &v) >= 0
    }

    /// Writes the scalar attribute `name` = `value`, a variable-length UTF-8 string.
    static func writeAttribute(_ object: hid_t, _ name: String, _ value: String) -> Bool {
        let type = stringType()
        guard type >= 0 else { return false }
        defer { H5Tclose(type) }
        let space = H5Screate(H5S_SCALAR)
        guard space >= 0 else { return false }
        defer { H5Sclose(space) }
        let attribute = H5Acreate2(object, name, type, space, defaultList, defaultList)
        guard attribute >= 0 else { return false }
        defer { H5Aclose(attribute) }
        return value.withCString { text in
            var pointer: UnsafePointer<CChar>? = text
            return H5Awrite(attribute, type, &pointer) >= 0
        }
    }

    /// The integer attribute `name` of `object` (any integer type, one element), or `nil`
    /// when it is absent or not one integer.
    static func integerAttribute(_ object: hid_t, _ name: String) -> Int64? {
        guard hasAttribute(object, name) else { return nil }
        let attribute = H5Aopen(object, name, defaultList)
        guard attribute >= 0 else { return nil }
        defer { H5Aclose(attribute) }
        let type = H5Aget_type(attribute)
        guard type >= 0 else { return nil }
        defer { H5Tclose(type) }
        guard H5Tget_class(type) == H5T_INTEGER, elementCount(attribute: attribute) == 1 else { return nil }
        var v: Int64 = 0
        return H5Aread(attribute, steppe_H5T_NATIVE_INT64(), &v) >= 0 ? v : nil
    }

    /// The string attribute `name` of `object` (variable-length, as Steppe and h5py write
    /// it, or fixed-length, as numpy's bytes are), or `nil` when absent or not one string.
    static func stringAttribute(_ object: hid_t, _ name: String) -> String? {
        guard hasAttribute(object, name) else { return nil }
        let attribute = H5Aopen(object, name, defaultList)
        guard attribute >= 0 else { return nil }
        defer { H5Aclose(attribute) }
        let type = H5Aget_type(attribute)
        guard type >= 0 else { return nil }
        defer { H5Tclose(type) }
        guard H5Tget_class(type) == H5T_STRING, elementCount(attribute: attribute) == 1 else { return nil }
        if H5Tis_variable_str(type) > 0 {
            let memory = stringType()
            guard memory >= 0 else { return nil }
            defer { H5Tclose(memory) }
            var pointer: UnsafeMutablePointer<CChar>? = nil
            guard H5Aread(attribute, memory, &pointer) >= 0 else { return nil }
            defer { if let pointer { H5free_memory(pointer) } }
            return pointer.map { String(decoding: UnsafeRawBufferPointer(start: $0, count: strlen($0)), as: UTF8.self) } ?? ""
        }
        let size = H5Tget_size(type)
        guard size > 0, size < 1 << 20 else { return nil }
        let memory = H5Tcopy(type)
        guard memory >= 0 else { return nil }
        defer { H5Tclose(memory) }
        var bytes = [UInt8](repeating: 0, count: size)
        guard bytes.withUnsafeMutableBytes({ H5Aread(attribute, memory, $0.baseAddress!) }) >= 0 else { return nil }
        return String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
    }

    /// The number of elements of an attribute's dataspace (1 for a scalar), or −1.
    private static func elementCount(attribute: hid_t) -> Int {
        let space = H5Aget_space(attribute)
        guard space >= 0 else { return -1 }
        defer { H5Sclose(space) }
        return Int(H5Sget_simple_extent_npoints(space))
    }

    /// Creates the 1-D dataset `name` in `location` holding `strings` as variable-length
    /// UTF-8 strings (contiguous: its size is known when it is written). The strings must
    /// hold no NUL byte (C strings end at one; the writer refuses such names and levels).
    static func writeStrings(_ location: hid_t, _ name: String, _ strings: [String]) -> Bool {
        let type = stringType()
        guard type >= 0 else { return false }
        defer { H5Tclose(type) }
        var dims = [hsize_t(strings.count)]
        let space = H5Screate_simple(1, &dims, nil)
        guard space >= 0 else { return false }
        defer { H5Sclose(space) }
        let dataset = H5Dcreate2(location, name, type, space, defaultList, defaultList, defaultList)
        guard dataset >= 0 else { return false }
        defer { H5Dclose(dataset) }
        guard !strings.isEmpty else { return true }
        // C copies of the strings, freed after the write.
        var pointers: [UnsafePointer<CChar>?] = strings.map { UnsafePointer(strdup($0)) }
        defer { for p in pointers { free(UnsafeMutablePointer(mutating: p)) } }
        guard !pointers.contains(where: { $0 == nil }) else { return false }
        return pointers.withUnsafeMutableBufferPointer {
            H5Dwrite(dataset, type, steppe_H5S_ALL(), steppe_H5S_ALL(), defaultList, $0.baseAddress!) >= 0
        }
    }

    /// The strings of the 1-D variable-length string dataset `name` in `location`, or
    /// `nil` when it is absent, of another shape or type, or cannot be read.
    static func readStrings(_ location: hid_t, _ name: String) -> [String]? {
        guard hasLink(location, name) else { return nil }
        let dataset = H5Dopen2(location, name, defaultList)
        guard dataset >= 0 else { return nil }
        defer { H5Dclose(dataset) }
        let fileType = H5Dget_type(dataset)
        guard fileType >= 0 else { return nil }
        defer { H5Tclose(fileType) }
        guard H5Tget_class(fileType) == H5T_STRING, H5Tis_variable_str(fileType) > 0 else { return nil }
        guard let count = length(dataset) else { return nil }
        if count == 0 { return [] }
        let type = stringType()
        guard type >= 0 else { return nil }
        defer { H5Tclose(type) }
        let space = H5Dget_space(dataset)
        guard space >= 0 else { return nil }
        defer { H5Sclose(space) }
        var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
        return pointers.withUnsafeMutableBufferPointer { p -> [String]? in
            guard H5Dread(dataset, type, steppe_H5S_ALL(), steppe_H5S_ALL(), defaultList, p.baseAddress!) >= 0 else { return nil }
            defer { _ = steppe_H5_reclaim(type, space, p.baseAddress!) }
            return p.map { s in s.map { String(decoding: UnsafeRawBufferPointer(start: $0, count: strlen($0)), as: UTF8.self) } ?? "" }
        }
    }

    /// The length of a 1-D dataset, or `nil` when it is not 1-D.
    static func length(_ dataset: hid_t) -> Int? {
        let space = H5Dget_space(dataset)
        guard space >= 0 else { return nil }
        defer { H5Sclose(space) }
        guard H5Sget_simple_extent_ndims(space) == 1 else { return nil }
        var dims: hsize_t = 0
        guard H5Sget_simple_extent_dims(space, &dims, nil) == 1 else { return nil }
        return Int(exactly: dims)
    }

    /// The class of a dataset's type (`H5T_FLOAT`, `H5T_INTEGER`, …), or `H5T_NO_CLASS`.
    static func typeClass(_ dataset: hid_t) -> H5T_class_t {
        let type = H5Dget_type(dataset)
        guard type >= 0 else { return H5T_NO_CLASS }
        defer { H5Tclose(type) }
        return H5Tget_class(type)
    }
}
