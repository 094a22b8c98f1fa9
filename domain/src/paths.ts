/** Every collection path, built in one place. */
export const paths = {
  user: (uid: string) => `users/${uid}`,
  clinic: (clinicId: string) => `clinics/${clinicId}`,
  clinicMember: (clinicId: string, uid: string) => `clinics/${clinicId}/members/${uid}`,
  specialists: () => 'specialists',
  specialist: (uid: string) => `specialists/${uid}`,
  office: (uid: string, officeId: string) => `specialists/${uid}/offices/${officeId}`,
  review: (uid: string, reviewId: string) => `specialists/${uid}/reviews/${reviewId}`,
} as const;
