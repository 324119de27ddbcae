using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace LayoutAudit.Allocations
{
    /// <summary>The allocations a <c>new</c> in the source asks for: an object of a reference type or an array. Delegate
    /// creations (LA1003), anonymous types (LA1009) and the compiler's own arrays (params, LA1004) have their rules;
    /// an exception created to be thrown is on the cold path and is not reported.</summary>
    internal static class ExplicitAllocations
    {
        /// <summary>"a List&lt;int&gt;" and its IL site, or null when <paramref name="operation"/> is not such a <c>new</c>.</summary>
        public static (string What, string Site)? Of(IOperation operation)
        {
            if (operation.IsImplicit || IsThrown(operation))
            {
                return null;
            }

            return operation switch
            {
                IObjectCreationOperation { Type: { IsReferenceType: true, TypeKind: not TypeKind.Delegate } type } => ("a new '" + Describe.Type(type) + "'", Site.Object),
                IArrayCreationOperation { Type: IArrayTypeSymbol array } => ("a new array '" + Describe.Type(array) + "'", Site.Array),
                _ => null,
            };
        }

        private static bool IsThrown(IOperation operation)
        {
            var parent = operation.Parent;
            while (parent is IConversionOperation { IsImplicit: true })
            {
                parent = parent.Parent;
            }

            return parent is IThrowOperation;
        }
    }
}
