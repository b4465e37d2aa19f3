import SteppeNumerics
import Testing

@Suite("BLAS run-time controls")
struct BLASRuntimeTests {
    @Test func threadCountAndKernelReport() throws {
        let before = BLASRuntime.threadCount
        #expect(before >= 1)
        try BLASRuntime.setThreadCount(2)
        #expect(BLASRuntime.threadCount == 2)
        try BLASRuntime.setThreadCount(before)
        #expect(BLASRuntime.threadCount == before)
        #expect(throws: NumericsError.self) { try BLASRuntime.setThreadCount(0) }
        #expect(!BLASRuntime.coreName.isEmpty && BLASRuntime.coreName != "unknown")
        #expect(BLASRuntime.configuration.contains("OpenBLAS"))
        print("OpenBLAS kernels: \(BLASRuntime.coreName); OPENBLAS_CORETYPE = \(BLASRuntime.requestedCoreType ?? "unset"); \(BLASRuntime.configuration)")
    }
}
