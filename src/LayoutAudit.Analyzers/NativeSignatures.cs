using System;
using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace LayoutAudit.Analyzers
{
    /// <summary>The types that a compilation's <c>[DllImport]</c>/<c>[LibraryImport]</c> methods take or return,
    /// by simple name. Read from syntax once per compilation, and only when a rule asks: a struct with the same
    /// name as a native signature's type is treated as passed to native code (erring towards no reorder).</summary>
    internal sealed class NativeSignatures
    {
        private static readonly HashSet<string> s_attributeNames = new(StringComparer.Ordinal)
        {
            "DllImport", "DllImportAttribute", "LibraryImport", "LibraryImportAttribute",
        };

        private readonly Compilation _compilation;
        private readonly object _gate = new();
        private Dictionary<string, string>? _methodByTypeName;

        public NativeSignatures(Compilation compilation) => _compilation = compilation;

        /// <summary>The native method (as <c>Type.Method</c>) that <paramref name="typeName"/> is passed to, if any.</summary>
        public string? NativeMethodTaking(string typeName, CancellationToken cancellationToken)
        {
            lock (_gate)
            {
                // Built under the lock and kept only once complete, so a cancelled walk is simply redone.
                _methodByTypeName ??= Collect(cancellationToken);
                return _methodByTypeName.TryGetValue(typeName, out string? method) ? method : null;
            }
        }

        private Dictionary<string, string> Collect(CancellationToken cancellationToken)
        {
            var found = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var tree in _compilation.SyntaxTrees)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var root = tree.GetRoot(cancellationToken);
                var methods = root.DescendantNodes(n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax or TypeDeclarationSyntax);
                foreach (var node in methods)
                {
                    if (node is MethodDeclarationSyntax method && IsNative(method))
                    {
                        string owner = (method.Parent as BaseTypeDeclarationSyntax)?.Identifier.ValueText ?? "";
                        string name = owner.Length == 0 ? method.Identifier.ValueText : owner + "." + method.Identifier.ValueText;
                        Add(found, method.ReturnType, name);
                        foreach (var parameter in method.ParameterList.Parameters)
                        {
                            if (parameter.Type is not null)
                            {
                                Add(found, parameter.Type, name);
                            }
                        }
                    }
                }
            }

            return found;
        }

        private static bool IsNative(MethodDeclarationSyntax method)
        {
            foreach (var list in method.AttributeLists)
            {
                foreach (var attribute in list.Attributes)
                {
                    if (s_attributeNames.Contains(RightmostName(attribute.Name)))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        private static void Add(Dictionary<string, string> found, TypeSyntax type, string method)
        {
            // ref S, S*, S[], S? and Ns.S all pass (a view of) S.
            while (true)
            {
                switch (type)
                {
                    case RefTypeSyntax reference:
                        type = reference.Type;
                        continue;
                    case PointerTypeSyntax pointer:
                        type = pointer.ElementType;
                        continue;
                    case ArrayTypeSyntax array:
                        type = array.ElementType;
                        continue;
                    case NullableTypeSyntax nullable:
                        type = nullable.ElementType;
                        continue;
                    case NameSyntax name:
                        string simple = RightmostName(name);
                        if (simple.Length > 0 && !found.ContainsKey(simple))
                        {
                            found.Add(simple, method);
                        }

                        return;
                    default:
                        return;
                }
            }
        }

        private static string RightmostName(NameSyntax name) => name switch
        {
            QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
            AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText,
            SimpleNameSyntax simple => simple.Identifier.ValueText,
            _ => "",
        };
    }
}
