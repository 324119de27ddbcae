using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using LayoutAudit.Core;
using TypeLayout = LayoutAudit.Core.TypeLayout;

namespace LayoutAudit.Build
{
    /// <summary>Reads the generator's <c>[assembly: LayoutAudit.PredictedLayout(...)]</c> registrations out of a
    /// compiled assembly's metadata, without loading it.</summary>
    internal static class PredictionReader
    {
        private const string RegistrationNamespace = "LayoutAudit";
        private const string RegistrationName = "PredictedLayoutAttribute";

        public static (List<TypeLayout> Layouts, List<LayoutProblem> Problems) Read(string assemblyPath)
        {
            var layouts = new List<TypeLayout>();
            var problems = new List<LayoutProblem>();
            using var stream = File.OpenRead(assemblyPath);
            using var image = new PEReader(stream);
            var reader = image.GetMetadataReader();
            foreach (var handle in reader.GetAssemblyDefinition().GetCustomAttributes())
            {
                var attribute = reader.GetCustomAttribute(handle);
                if (!IsRegistration(reader, attribute) || !TryReadArguments(reader, attribute, out string typeName, out string text))
                {
                    continue;
                }

                if (RegisteredPrediction.TryRead(typeName, text, out var layout, out var problem))
                {
                    if (layout is not null)
                    {
                        layouts.Add(layout);
                    }
                    else
                    {
                        problems.Add(problem!);
                    }
                }
            }

            return (layouts, problems);
        }

        private static bool IsRegistration(MetadataReader reader, CustomAttribute attribute)
        {
            // The attribute comes from LayoutAudit.Attributes, so its constructor is a reference to an imported type.
            if (attribute.Constructor.Kind != HandleKind.MemberReference)
            {
                return false;
            }

            var parent = reader.GetMemberReference((MemberReferenceHandle)attribute.Constructor).Parent;
            if (parent.Kind != HandleKind.TypeReference)
            {
                return false;
            }

            var type = reader.GetTypeReference((TypeReferenceHandle)parent);
            return reader.StringComparer.Equals(type.Name, RegistrationName) && reader.StringComparer.Equals(type.Namespace, RegistrationNamespace);
        }

        /// <summary>Both constructors take two serialized strings: the type (a <c>System.Type</c> argument is stored as
        /// its name) and the prediction.</summary>
        private static bool TryReadArguments(MetadataReader reader, CustomAttribute attribute, out string typeName, out string text)
        {
            typeName = text = "";
            try
            {
                var blob = reader.GetBlobReader(attribute.Value);
                if (blob.ReadUInt16() != 1)
                {
                    return false;
                }

                string? type = blob.ReadSerializedString();
                string? prediction = blob.ReadSerializedString();
                if (type is null || prediction is null)
                {
                    return false;
                }

                // typeof(T) of a type in another assembly is stored assembly-qualified; ours are local, but be safe.
                int comma = type.IndexOf(", ", StringComparison.Ordinal);
                typeName = comma < 0 ? type : type.Substring(0, comma);
                text = prediction;
                return true;
            }
            catch (BadImageFormatException)
            {
                return false;
            }
        }
    }
}
