/** Links from the course page to a student's own files, relative to index.html: ids are students' names, so they are URL-encoded. */
export type StudentLink = (id: string) => string | undefined;

export const studentHref = (id: string, ext: 'html' | 'txt' | 'json'): string => `students/${encodeURIComponent(id)}.${ext}`;
