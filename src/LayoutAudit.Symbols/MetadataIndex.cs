using System;
using System.Collections.Generic;
using System.Reflection;
using System.Reflection.Metadata;
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
        private readonly Dictionary<string, AssemblyIndex?> _byName = new(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<IAssemblySymbol, AssemblyIndex?> _bySymbol = new(SymbolEqualityComparer.Default);
        private readonly Compilation _compilation;
        private Dictionary<string, MetadataReference>? _referencesByName;

        public MetadataIndex(Compilation compilation) => _compilation = compilation;

        public AssemblyIndex? ForAssembly(IAssemblySymbol assembly)
        {
            if (_bySymbol.TryGetValue(assembly, out var found))
            {
                return found;
            }

            AssemblyIndex? index = null;
            if (_compilation.GetMetadataReference(assembly) is PortableExecutableReference reference)
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

            _referencesByName ??= IndexReferences();
            AssemblyIndex? index = _referencesByName.TryGetValue(assemblyName, out var reference) ? Open(reference) : null;
            _byName[assemblyName] = index;
            return index;
        }

        private Dictionary<string, MetadataReference> IndexReferences()
        {
            var map = new Dictionary<string, MetadataReference>(StringComparer.OrdinalIgnoreCase);
            foreach (var reference in _compilation.References)
            {
                if (_compilation.GetAssemblyOrModuleSymbol(reference) is IAssemblySymbol assembly && !map.ContainsKey(assembly.Identity.Name))
                {
                    map[assembly.Identity.Name] = reference;
                }
            }

            return map;
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

        private AssemblyIndex? Open(MetadataReference reference)
        {
            if (reference is not PortableExecutableReference portable)
            {
                return null;
            }

            try
            {
                if (portable.GetMetadata() is not AssemblyMetadata metadata)
                {
                    return null;
                }

                var reader = metadata.GetModules()[0].GetMetadataReader();
                var index = new AssemblyIndex(this, reader, IsReadyToRunImage(portable.FilePath));
                _byName[reader.GetString(reader.GetAssemblyDefinition().Name)] = index;
                return index;
            }
            catch (Exception e) when (e is BadImageFormatException or InvalidOperationException or System.IO.IOException)
            {
                return null;
            }
        }
    }

    /// <summary>One referenced assembly's type definitions, by metadata name (<c>Ns.Outer+Inner`1</c>).</summary>
    internal sealed class AssemblyIndex
    {
        private Dictionary<string, TypeDefinitionHandle>? _types;
        private Dictionary<string, ExportedTypeHandle>? _forwarders;

        public AssemblyIndex(MetadataIndex owner, MetadataReader reader, bool isReadyToRun)
        {
            IsReadyToRun = isReadyToRun;
            Owner = owner;
            Reader = reader;
            Name = reader.GetString(reader.GetAssemblyDefinition().Name);
            IsReferenceAssembly = HasReferenceAssemblyAttribute(reader);
        }

        public MetadataIndex Owner { get; }

        /// <summary>A precompiled image: its classes follow the ReadyToRun base-offset rule.</summary>
        public bool IsReadyToRun { get; }

        public MetadataReader Reader { get; }

        public string Name { get; }

        /// <summary>Reference assemblies replace private fields with placeholders: their structs' layouts are not real.</summary>
        public bool IsReferenceAssembly { get; }

        public bool TryFind(string metadataName, out AssemblyIndex owner, out TypeDefinitionHandle handle)
        {
            _types ??= IndexTypes();
            if (_types.TryGetValue(metadataName, out handle))
            {
                owner = this;
                return true;
            }

            _forwarders ??= IndexForwarders();
            if (_forwarders.TryGetValue(metadataName, out var exported))
            {
                var implementation = Reader.GetExportedType(exported).Implementation;
                if (implementation.Kind == HandleKind.AssemblyReference)
                {
                    var target = Owner.ForName(Reader.GetString(Reader.GetAssemblyReference((AssemblyReferenceHandle)implementation).Name));
                    if (target is not null && target != this)
                    {
                        return target.TryFind(metadataName, out owner, out handle);
                    }
                }
            }

            owner = this;
            handle = default;
            return false;
        }

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
                var attribute = reader.GetCustomAttribute(handle);
                if (attribute.Constructor.Kind == HandleKind.MemberReference)
                {
                    var parent = reader.GetMemberReference((MemberReferenceHandle)attribute.Constructor).Parent;
                    if (parent.Kind == HandleKind.TypeReference && reader.StringComparer.Equals(reader.GetTypeReference((TypeReferenceHandle)parent).Name, "ReferenceAssemblyAttribute"))
                    {
                        return true;
                    }
                }
            }

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
