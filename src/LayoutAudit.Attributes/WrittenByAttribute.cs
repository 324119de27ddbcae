using System;

namespace LayoutAudit
{
    /// <summary>Names the thread (or role) that writes this field. Two fields written by different writers that
    /// share a cache line are false sharing, which LA0003 reports.</summary>
    [AttributeUsage(AttributeTargets.Field, AllowMultiple = false, Inherited = false)]
    public sealed class WrittenByAttribute : Attribute
    {
        /// <param name="writer">Any name for the writer, e.g. "producer" or "consumer".</param>
        public WrittenByAttribute(string writer) => Writer = writer;

        /// <summary>The writer's name.</summary>
        public string Writer { get; }
    }
}
