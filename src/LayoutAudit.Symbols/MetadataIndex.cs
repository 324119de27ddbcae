using System;
using System.Collections.Generic;
using System.Reflection;
using System.Reflection.Metadata;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace LayoutAudit.Symbols
{
    /// <summary>
    /// The metadata of the assemblies a compilation references. Roslyn hides what layout needs from referenced
    /// types (StructLayout, FieldOffset, Pack and Size are pseudo-attributes; private fields of classes are not
    /// imported), so referenced types are read here, from the metadata the compilation already holds.
    /// </summary>
    internal sealed class MetadataIndex
    {
        private static readonly ConditionalWeakTable<AssemblyMetadata, AssemblyData> s_data = new();
        private static readonly Lazy<MetadataIndex?> s_implementation = new(CreateImplementationIndex, LazyThreadSafetyMode.ExecutionAndPublication);
        private readonly Dictionary<string, AssemblyIndex?> _byName = new(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<IAssemblySymbol, AssemblyIndex?> _bySymbol = new(SymbolEqualityComparer.Default);
        private readonly Compilation? _compilation;
        private readonly Func<Dictionary<string, PortableExecutableReference>> _listReferences;
        private Dictionary<string, PortableExecutableReference>? _referencesByName;

        public MetadataIndex(Compilation compilation)
        {
            _compilation = compilation;
            _listReferences = IndexReferences;
            CoreLibrary = compilation.GetSpecialType(SpecialType.System_Object).ContainingAssembly?.Name ?? "";
        }

        private MetadataIndex(Func<Dictionary<string, PortableExecutableReference>> listReferences, string coreLibrary)
        {
            _listReferences = listReferences;
            CoreLibrary = coreLibrary;
        }

        /// <summary>The assembly that defines System.Object here (primitives, string and arrays live there).</summary>
        public string CoreLibrary { get; }

        /// <summary>The implementation assemblies of the runtime this process runs on, for types that a compilation
        /// only sees through reference assemblies (whose private fields are placeholders). Null when this process
        /// does not run on .NET (Core), e.g. inside a .NET Framework compiler.</summary>
        public static MetadataIndex? Implementation => s_implementation.Value;

        /// <summary>The version of the runtime whose implementation assemblies stand in for reference assemblies.</summary>
        public static string ImplementationVersion => Environment.Version.ToString();

        public AssemblyIndex? ForAssembly(IAssemblySymbol assembly)
        {
            if (_bySymbol.TryGetValue(assembly, out var found))
            {
                return found;
            }

            AssemblyIndex? index = null;
            if (_compilation?.GetMetadataReference(assembly) is PortableExecutableReference reference)
            {
                index = ForName(assembly.Identity.Name) ?? Open(reference);
            }

            _bySymbol[assembly] = index;
            return index;
        }

        public AssemblyIndex? ForName(string assemblyName)
        {
            if (_byName.TryGetValue(assemblyName, out var found))
            {
                return found;
            }

            _referencesByName ??= _listReferences();
            AssemblyIndex? index = _referencesByName.TryGetValue(assemblyName, out var reference) ? Open(reference) : null;
            _byName[assemblyName] = index;
            return index;
        }

        private Dictionary<string, PortableExecutableReference> IndexReferences()
        {
            var map = new Dictionary<string, PortableExecutableReference>(StringComparer.OrdinalIgnoreCase);
            foreach (var reference in _compilation!.References)
            {
                if (reference is PortableExecutableReference portable && _compilation.GetAssemblyOrModuleSymbol(reference) is IAssemblySymbol assembly && !map.ContainsKey(assembly.Identity.Name))
                {
                    map[assembly.Identity.Name] = portable;
                }
            }

            return map;
        }

        private static MetadataIndex? CreateImplementationIndex()
        {
            var coreLibrary = typeof(object).Assembly;
            if (coreLibrary.GetName().Name != "System.Private.CoreLib" || string.IsNullOrEmpty(coreLibrary.Location))
            {
                return null;
            }

            string directory = System.IO.Path.GetDirectoryName(coreLibrary.Location)!;
            return new MetadataIndex(
                () =>
                {
                    var map = new Dictionary<string, PortableExecutableReference>(StringComparer.OrdinalIgnoreCase);
                    foreach (string path in System.IO.Directory.GetFiles(directory, "*.dll"))
                    {
                        map[System.IO.Path.GetFileNameWithoutExtension(path)] = MetadataReference.CreateFromFile(path);
                    }

                    return map;
                },
                "System.Private.CoreLib");
        }

        /// <summary>ReadyToRun images carry a managed native header; Roslyn does not expose PE headers, so the
        /// reference's file is read when there is one (an in-memory reference counts as plain IL).</summary>
        private static bool IsReadyToRunImage(string? path)
        {
            if (string.IsNullOrEmpty(path))
            {
                return false;
            }

            try
            {
                using var stream = new System.IO.FileStream(path, System.IO.FileMode.Open, System.IO.FileAccess.Read, System.IO.FileShare.ReadWrite | System.IO.FileShare.Delete);
                using var pe = new System.Reflection.PortableExecutable.PEReader(stream);
                return pe.PEHeaders.CorHeader?.ManagedNativeHeaderDirectory.Size > 0;
            }
            catch (Exception e) when (e is System.IO.IOException or UnauthorizedAccessException or BadImageFormatException or ArgumentException or NotSupportedException)
            {
                return false;
            }
        }

        private AssemblyIndex? Open(PortableExecutableReference reference)
        {
            try
            {
                if (reference.GetMetadata() is not AssemblyMetadata metadata)
                {
                    return null;
                }

                // Metadata objects are shared by successive compilations (every edit makes one): index each once.
                var data = s_data.GetValue(metadata, m => new AssemblyData(m.GetModules()[0].GetMetadataReader(), IsReadyToRunImage(reference.FilePath)));
                var index = new AssemblyIndex(this, data);
                _byName[data.Name] = index;
                return index;
            }
            catch (Exception e) when (e is BadImageFormatException or InvalidOperationException or System.IO.IOException)
            {
                return null;
            }
        }
    }

    /// <summary>What one assembly's metadata says, read once and shared by every compilation that references it.</summary>
    internal sealed class AssemblyData
    {
        private readonly Lazy<Dictionary<string, TypeDefinitionHandle>> _types;
        private readonly Lazy<Dictionary<string, ExportedTypeHandle>> _forwarders;

        public AssemblyData(MetadataReader reader, bool isReadyToRun)
        {
            Reader = reader;
            IsReadyToRun = isReadyToRun;
            Name = reader.IsAssembly ? reader.GetString(reader.GetAssemblyDefinition().Name) : "";
            IsReferenceAssembly = reader.IsAssembly && HasReferenceAssemblyAttribute(reader);
            _types = new Lazy<Dictionary<string, TypeDefinitionHandle>>(IndexTypes, LazyThreadSafetyMode.ExecutionAndPublication);
            _forwarders = new Lazy<Dictionary<string, ExportedTypeHandle>>(IndexForwarders, LazyThreadSafetyMode.ExecutionAndPublication);
        }

        public MetadataReader Reader { get; }

        public string Name { get; }

        public bool IsReadyToRun { get; }

        public bool IsReferenceAssembly { get; }

        public Dictionary<string, TypeDefinitionHandle> Types => _types.Value;

        public Dictionary<string, ExportedTypeHandle> Forwarders => _forwarders.Value;

        public string MetadataName(TypeDefinitionHandle handle)
        {
            var definition = Reader.GetTypeDefinition(handle);
            string name = Reader.GetString(definition.Name);
            var declaring = definition.GetDeclaringType();
            if (!declaring.IsNil)
            {
                return MetadataName(declaring) + "+" + name;
            }

            string ns = Reader.GetString(definition.Namespace);
            return ns.Length == 0 ? name : ns + "." + name;
        }

        private Dictionary<string, TypeDefinitionHandle> IndexTypes()
        {
            var map = new Dictionary<string, TypeDefinitionHandle>(StringComparer.Ordinal);
            foreach (var handle in Reader.TypeDefinitions)
            {
                map[MetadataName(handle)] = handle;
            }

            return map;
        }

        private Dictionary<string, ExportedTypeHandle> IndexForwarders()
        {
            var map = new Dictionary<string, ExportedTypeHandle>(StringComparer.Ordinal);
            foreach (var handle in Reader.ExportedTypes)
            {
                var exported = Reader.GetExportedType(handle);
                if (exported.Implementation.Kind != HandleKind.AssemblyReference)
                {
                    continue;
                }

                string ns = Reader.GetString(exported.Namespace);
                string name = Reader.GetString(exported.Name);
                map[ns.Length == 0 ? name : ns + "." + name] = handle;
            }

            return map;
        }

        private static bool HasReferenceAssemblyAttribute(MetadataReader reader)
        {
            foreach (var handle in reader.GetAssemblyDefinition().GetCustomAttributes())
            {
                var constructor = reader.GetCustomAttribute(handle).Constructor;
                var type = constructor.Kind switch
                {
                    HandleKind.MemberReference => reader.GetMemberReference((MemberReferenceHandle)constructor).Parent,
                    HandleKind.MethodDefinition => reader.GetMethodDefinition((MethodDefinitionHandle)constructor).GetDeclaringType(),
                    _ => default(EntityHandle),
                };
                var name = type.Kind switch
                {
                    HandleKind.TypeReference => reader.GetTypeReference((TypeReferenceHandle)type).Name,
                    HandleKind.TypeDefinition => reader.GetTypeDefinition((TypeDefinitionHandle)type).Name,
                    _ => default,
                };
                if (!name.IsNil && reader.StringComparer.Equals(name, "ReferenceAssemblyAttribute"))
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>One referenced assembly as one compilation sees it: its types, and the other assemblies its
    /// type references resolve to.</summary>
    internal sealed class AssemblyIndex
    {
        private readonly AssemblyData _data;

        public AssemblyIndex(MetadataIndex owner, AssemblyData data)
        {
            Owner = owner;
            _data = data;
        }

        public MetadataIndex Owner { get; }

        public MetadataReader Reader => _data.Reader;

        public string Name => _data.Name;

        /// <summary>A precompiled image: its classes follow the ReadyToRun base-offset rule.</summary>
        public bool IsReadyToRun => _data.IsReadyToRun;

        /// <summary>Reference assemblies replace private fields with placeholders: their structs' layouts are not real.</summary>
        public bool IsReferenceAssembly => _data.IsReferenceAssembly;

        public string MetadataName(TypeDefinitionHandle handle) => _data.MetadataName(handle);

        public bool TryFind(string metadataName, out AssemblyIndex owner, out TypeDefinitionHandle handle)
        {
            if (_data.Types.TryGetValue(metadataName, out handle))
            {
                owner = this;
                return true;
            }

            if (_data.Forwarders.TryGetValue(metadataName, out var exported))
            {
                var implementation = Reader.GetExportedType(exported).Implementation;
                var target = Owner.ForName(Reader.GetString(Reader.GetAssemblyReference((AssemblyReferenceHandle)implementation).Name));
                if (target is not null && target != this)
                {
                    return target.TryFind(metadataName, out owner, out handle);
                }
            }

            owner = this;
            handle = default;
            return false;
        }

        public static LayoutAttributes ReadLayout(TypeDefinition definition)
        {
            var kind = (definition.Attributes & TypeAttributes.LayoutMask) switch
            {
                TypeAttributes.ExplicitLayout => Core.LayoutKindName.Explicit,
                TypeAttributes.SequentialLayout => Core.LayoutKindName.Sequential,
                _ => Core.LayoutKindName.Auto,
            };
            var layout = definition.GetLayout();
            return new LayoutAttributes(kind, layout.PackingSize, layout.Size);
        }
    }

    internal readonly struct LayoutAttributes
    {
        public LayoutAttributes(Core.LayoutKindName kind, int pack, int size)
        {
            Kind = kind;
            Pack = pack;
            Size = size;
        }

        public Core.LayoutKindName Kind { get; }

        public int Pack { get; }

        public int Size { get; }
    }
}
