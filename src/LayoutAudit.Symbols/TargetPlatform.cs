using Microsoft.CodeAnalysis;

namespace LayoutAudit.Symbols
{
    /// <summary>The machine a layout is predicted for.</summary>
    public sealed record TargetPlatform(string Name, int PointerSize)
    {
        public static TargetPlatform X64 { get; } = new("x64", 8);

        public static TargetPlatform Arm64 { get; } = new("arm64", 8);

        public static TargetPlatform X86 { get; } = new("x86", 4);

        public static TargetPlatform Arm32 { get; } = new("arm", 4);

        /// <summary>32-bit when the compilation targets x86 or ARM32; 64-bit otherwise (AnyCPU runs 64-bit).</summary>
        public static TargetPlatform FromCompilation(Compilation compilation) => compilation.Options.Platform switch
        {
            Platform.X86 => X86,
            Platform.Arm => Arm32,
            Platform.Arm64 => Arm64,
            _ => X64,
        };
    }
}
